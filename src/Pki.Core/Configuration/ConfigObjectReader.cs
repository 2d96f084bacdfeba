using System.Text.Json;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// Reads one JSON object of a ca.json the way Go's <c>encoding/json</c> fills a struct, but
/// collects every problem (with its field path) instead of stopping at the first.
/// </summary>
/// <remarks>
/// Go semantics kept on purpose: keys match case-insensitively and the last duplicate wins;
/// <c>null</c> is the same as an absent key; a value of the wrong JSON type is an error.
/// Keys that no caller asked for are returned by <see cref="Remaining"/> so they are kept and
/// reported rather than silently dropped.
/// </remarks>
internal sealed class ConfigObjectReader
{
    private readonly Dictionary<string, JsonProperty> _properties = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _consumed = new(StringComparer.OrdinalIgnoreCase);
    private readonly JsonElement _element;

    private ConfigObjectReader(JsonElement element, string path, List<ConfigDiagnostic> diagnostics)
    {
        _element = element;
        Path = path;
        Diagnostics = diagnostics;
        foreach (var property in element.EnumerateObject())
        {
            _properties[property.Name] = property;
        }
    }

    /// <summary>The path of this object (empty for the document root).</summary>
    public string Path { get; }

    /// <summary>The whole object, copied out of the document.</summary>
    public JsonElement Element => _element.Clone();

    /// <summary>Where problems are collected.</summary>
    public List<ConfigDiagnostic> Diagnostics { get; }

    /// <summary>A reader over <paramref name="element"/>, or null (and an error) when it is not an object.</summary>
    public static ConfigObjectReader? Open(JsonElement element, string path, List<ConfigDiagnostic> diagnostics)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return new ConfigObjectReader(element, path, diagnostics);
        }
        diagnostics.Add(ConfigDiagnostic.Error(path, $"expected an object, got {Describe(element)}"));
        return null;
    }

    /// <summary>The path of a member of this object.</summary>
    public string FieldPath(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    /// <summary>The value of <paramref name="name"/>; false when absent or JSON null.</summary>
    public bool TryGet(string name, out JsonElement value)
    {
        _consumed.Add(name);
        if (_properties.TryGetValue(name, out var property) && property.Value.ValueKind != JsonValueKind.Null)
        {
            value = property.Value;
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>A string member; null when absent, null, or of the wrong type (reported).</summary>
    public string? String(string name) =>
        TryGet(name, out var value) ? ReadString(value, FieldPath(name)) : null;

    /// <summary>A boolean member; null when absent, null, or of the wrong type (reported).</summary>
    public bool? Boolean(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        return Mismatch<bool?>(name, "a boolean", value);
    }

    /// <summary>A number member; null when absent, null, or of the wrong type (reported).</summary>
    public double? Number(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
        {
            return number;
        }
        return Mismatch<double?>(name, "a number", value);
    }

    /// <summary>A Go duration string member (<c>"24h"</c>); null when absent, or invalid (reported).</summary>
    public TimeSpan? Duration(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            return Mismatch<TimeSpan?>(name, "a duration string", value);
        }
        var text = value.GetString();
        if (GoDuration.TryParse(text, out var duration))
        {
            return duration;
        }
        Diagnostics.Add(ConfigDiagnostic.Error(FieldPath(name), $"invalid duration \"{text}\""));
        return null;
    }

    /// <summary>An array-of-strings member; null when absent or null. Bad elements are reported and skipped.</summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            return Mismatch<IReadOnlyList<string>?>(name, "an array of strings", value);
        }
        var path = FieldPath(name);
        var list = new List<string>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            // Go leaves a null element as the zero value "".
            var text = item.ValueKind == JsonValueKind.Null ? string.Empty : ReadString(item, $"{path}[{index}]");
            if (text is not null)
            {
                list.Add(text);
            }
            index++;
        }
        return list;
    }

    /// <summary>A nested object member read by <paramref name="read"/>; null when absent, null or not an object.</summary>
    public T? Object<T>(string name, Func<ConfigObjectReader, T> read)
        where T : class
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        var reader = Open(value, FieldPath(name), Diagnostics);
        return reader is null ? null : read(reader);
    }

    /// <summary>An array-of-objects member; null when absent or null. Bad elements are reported and skipped.</summary>
    public IReadOnlyList<T>? Objects<T>(string name, Func<ConfigObjectReader, T> read)
        where T : class
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            return Mismatch<IReadOnlyList<T>?>(name, "an array of objects", value);
        }
        var path = FieldPath(name);
        var list = new List<T>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var reader = Open(item, $"{path}[{index}]", Diagnostics);
            if (reader is not null)
            {
                list.Add(read(reader));
            }
            index++;
        }
        return list;
    }

    /// <summary>Any JSON value, copied out of the document; null when absent or null.</summary>
    public JsonElement? Raw(string name) => TryGet(name, out var value) ? value.Clone() : null;

    /// <summary>A JSON object kept as is (a Go map or raw message); null when absent, null or not an object (reported).</summary>
    public JsonElement? RawObject(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Object ? value.Clone() : Mismatch<JsonElement?>(name, "an object", value);
    }

    /// <summary>
    /// The members nobody asked for, copied out of the document. When <paramref name="report"/>
    /// is true each one is reported as a warning (unknown to step-ca: a typo or a newer field).
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> Remaining(bool report = true)
    {
        var rest = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, property) in _properties)
        {
            if (_consumed.Contains(key))
            {
                continue;
            }
            rest[property.Name] = property.Value.Clone();
            if (report)
            {
                Diagnostics.Add(ConfigDiagnostic.Warning(FieldPath(property.Name), "unknown field; kept but not used"));
            }
        }
        return rest.Count == 0 ? EmptyExtensionData.Instance : rest;
    }

    private string? ReadString(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }
        Diagnostics.Add(ConfigDiagnostic.Error(path, $"expected a string, got {Describe(value)}"));
        return null;
    }

    private T Mismatch<T>(string name, string expected, JsonElement value)
    {
        Diagnostics.Add(ConfigDiagnostic.Error(FieldPath(name), $"expected {expected}, got {Describe(value)}"));
        return default!;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
