using System.Text.Json;
using Smallstep.Pki.Go;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// Go's encoding/json <c>Marshal</c> over the template model, as sprig's <c>toJson</c> family calls
/// it under Go 1.19 (step-ca 0.19): which JSON value each model type becomes (map keys sorted,
/// struct fields in declaration order with <c>omitempty</c>); escaping and layout are
/// <see cref="GoJsonEncoder"/>'s.
/// </summary>
internal static class TemplateJson
{
    private const int MaxDepth = 64;

    /// <summary><c>json.Marshal(value)</c>, compact; <paramref name="escapeHtml"/> false is sprig's <c>toRawJson</c>.</summary>
    public static string Serialize(object? value, bool escapeHtml) =>
        GoJsonEncoder.EncodeToString(w => Write(w, value, 0), GoJsonFormat.Go119Marshal with { EscapeHtml = escapeHtml });

    /// <summary><c>json.MarshalIndent(value, "", indent)</c>, HTML-escaped (sprig's <c>toPrettyJson</c>).</summary>
    public static string SerializeIndented(object? value, string indent) =>
        GoJsonEncoder.EncodeToString(w => Write(w, value, 0), GoJsonFormat.Go119Marshal with { Indent = indent });

    private static void Write(Utf8JsonWriter w, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new TemplateFunctionException($"json: value nests deeper than {MaxDepth} levels");
        }

        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case double d:
                // encoding/json encode.go floatEncoder: 'e' format outside [1e-6, 1e21), exponent without padding.
                w.WriteRawValue(double.IsFinite(d)
                    ? GoFormatter.FormatFloat(d, -6, 21, "0")
                    : throw new TemplateFunctionException($"json: unsupported value: {GoFormatter.FormatFloat(d)}"), skipInputValidation: true);
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case IReadOnlyList<object?> list:
                w.WriteStartArray();
                foreach (var item in list)
                {
                    Write(w, item, depth + 1);
                }

                w.WriteEndArray();
                break;
            case IReadOnlyDictionary<string, object?> map:
                w.WriteStartObject();
                foreach (var key in GoFormatter.SortedKeys(map))
                {
                    w.WritePropertyName(key);
                    Write(w, map[key], depth + 1);
                }

                w.WriteEndObject();
                break;
            case TemplateTypedValue t:
                Write(w, t.Value, depth + 1);
                break;
            case TemplateStruct s:
                WriteStruct(w, s, depth);
                break;
            case GoTime time:
                // time.Time.MarshalJSON: RFC 3339 with nanoseconds, refused outside years 0-9999.
                w.WriteStringValue(GoTimeJson.Format(time));
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }

    // encoding/json: exported fields in declaration order; json:"-" skipped; omitempty drops
    // false, 0, "", nil and empty lists/maps (encode.go isEmptyValue).
    private static void WriteStruct(Utf8JsonWriter w, TemplateStruct value, int depth)
    {
        w.WriteStartObject();
        foreach (var field in value.Fields)
        {
            if (field.JsonName is null || (field.OmitEmpty && IsEmptyValue(field.Value)))
            {
                continue;
            }

            w.WritePropertyName(field.JsonName);
            Write(w, field.NilWhenEmpty && field.Value is IReadOnlyList<object?> { Count: 0 } ? null : field.Value, depth + 1);
        }

        w.WriteEndObject();
    }

    private static bool IsEmptyValue(object? value) => value switch
    {
        null => true,
        bool b => !b,
        long l => l == 0,
        double d => d == 0,
        string s => s.Length == 0,
        IReadOnlyList<object?> list => list.Count == 0,
        IReadOnlyDictionary<string, object?> map => map.Count == 0,
        _ => false,
    };
}
