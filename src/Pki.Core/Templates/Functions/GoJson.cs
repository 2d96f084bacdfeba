using System.Globalization;
using System.Text;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// Go's encoding/json Marshal over the model: map keys sorted, compact, and (unless raw, as in
/// sprig's <c>toRawJson</c>) &lt; &gt; &amp; escaped as <c>\u003c</c> and friends.
/// </summary>
internal static class GoJson
{
    private const int MaxDepth = 64;

    public static string Serialize(object? value, bool escapeHtml)
    {
        var sb = new StringBuilder();
        Write(sb, value, escapeHtml, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, bool escapeHtml, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new TemplateFunctionException($"json: value nests deeper than {MaxDepth} levels");
        }

        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                // encoding/json encode.go floatEncoder: 'e' format outside [1e-6, 1e21), exponent without padding.
                sb.Append(double.IsFinite(d)
                    ? GoFormatter.FormatFloat(d, -6, 21, "0")
                    : throw new TemplateFunctionException($"json: unsupported value: {GoFormatter.FormatFloat(d)}"));
                break;
            case string s:
                WriteString(sb, s, escapeHtml);
                break;
            case IReadOnlyList<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    sb.Append(i > 0 ? "," : "");
                    Write(sb, list[i], escapeHtml, depth + 1);
                }

                sb.Append(']');
                break;
            case IReadOnlyDictionary<string, object?> map:
                sb.Append('{');
                var first = true;
                foreach (var key in GoFormatter.SortedKeys(map))
                {
                    sb.Append(first ? "" : ",");
                    first = false;
                    WriteString(sb, key, escapeHtml);
                    sb.Append(':');
                    Write(sb, map[key], escapeHtml, depth + 1);
                }

                sb.Append('}');
                break;
            case TemplateTypedValue t:
                Write(sb, t.Value, escapeHtml, depth + 1);
                break;
            case TemplateStruct s:
                WriteStruct(sb, s, escapeHtml, depth);
                break;
            case GoTime time:
                // time.Time.MarshalJSON: RFC 3339 with nanoseconds, refused outside years 0-9999.
                sb.Append('"').Append(GoTimeJson.Format(time)).Append('"');
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    // encoding/json: exported fields in declaration order; json:"-" skipped; omitempty drops
    // false, 0, "", nil and empty lists/maps (encode.go isEmptyValue).
    private static void WriteStruct(StringBuilder sb, TemplateStruct value, bool escapeHtml, int depth)
    {
        sb.Append('{');
        var first = true;
        foreach (var field in value.Fields)
        {
            if (field.JsonName is null || (field.OmitEmpty && IsEmptyValue(field.Value)))
            {
                continue;
            }

            sb.Append(first ? "" : ",");
            first = false;
            WriteString(sb, field.JsonName, escapeHtml);
            sb.Append(':');
            Write(sb, field.NilWhenEmpty && field.Value is IReadOnlyList<object?> { Count: 0 } ? null : field.Value, escapeHtml, depth + 1);
        }

        sb.Append('}');
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

    private static void WriteString(StringBuilder sb, string s, bool escapeHtml)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case < ' ' or '\u2028' or '\u2029':
                case '<' or '>' or '&' when escapeHtml:
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }
}
