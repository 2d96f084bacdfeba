using System.Text.Json;

namespace Smallstep.Pki.Go;

/// <summary>
/// Builds the exception for a JSON value of the wrong shape: <paramref name="member"/> is the
/// dotted path of the offending member (empty for the document itself), <paramref name="expected"/>
/// what it must be (<c>a string</c>, <c>one JSON object</c>, ...).
/// </summary>
public delegate Exception GoJsonError(string member, string expected, Exception? inner = null);

/// <summary>
/// Reads a JSON object the way Go's <c>encoding/json</c> fills a struct (decode.go <c>object</c>): a
/// member matches a field by exact name, else case-insensitively; the last duplicate wins, except
/// that <c>null</c> leaves a field as it is; unknown members are ignored; absence leaves the zero value. A value of the wrong JSON
/// type is an error built by the caller's <see cref="GoJsonError"/> (a 400 for client input, an
/// internal error for stored rows). Immutable; safe to share once built.
/// </summary>
public sealed class GoJsonObject
{
    private readonly Dictionary<string, JsonElement> _members;
    private readonly GoJsonError _error;

    private GoJsonObject(JsonElement element, IReadOnlyList<string>? fields, string path, GoJsonError error)
    {
        Path = path;
        _error = error;
        // Without a field list, every member is kept and looked up case-insensitively (last one wins),
        // which is Go's rule whenever no two fields differ only in case.
        _members = new Dictionary<string, JsonElement>(fields is null ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var field = fields is null
                ? property.Name
                : fields.FirstOrDefault(f => f == property.Name)
                    ?? fields.FirstOrDefault(f => string.Equals(f, property.Name, StringComparison.OrdinalIgnoreCase));
            // A null leaves a Go field as it is (decode.go literalStore), so it never undoes an earlier duplicate.
            if (field is not null && !(property.Value.ValueKind == JsonValueKind.Null && _members.ContainsKey(field)))
            {
                _members[field] = property.Value;
            }
        }
    }

    /// <summary>Where this object sits in the document (dotted), for messages; empty for the root.</summary>
    public string Path { get; }

    /// <summary>
    /// Reads <paramref name="element"/>, which must be an object. With <paramref name="fields"/> (the
    /// struct's JSON names) an exact name match is preferred over a case-insensitive one, as in Go.
    /// </summary>
    public static GoJsonObject Read(JsonElement element, string path, GoJsonError error, IReadOnlyList<string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        return element.ValueKind == JsonValueKind.Object
            ? new GoJsonObject(element, fields, path, error)
            : throw error(path, "an object");
    }

    /// <summary>
    /// Go's <c>json.Unmarshal</c> into a struct: <paramref name="json"/> must hold exactly one JSON
    /// object (nothing after it) nesting at most <paramref name="maxDepth"/> levels.
    /// </summary>
    public static GoJsonObject Unmarshal(ReadOnlySpan<byte> json, int maxDepth, GoJsonError error, IReadOnlyList<string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        JsonElement element;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
            // The element is cloned so the object outlives the parse buffer.
            element = JsonElement.ParseValue(ref reader);
            if (reader.Read())
            {
                throw error(string.Empty, "one JSON value with nothing after it");
            }
        }
        catch (JsonException e)
        {
            throw error(string.Empty, "JSON", e);
        }
        return Read(element, string.Empty, error, fields);
    }

    /// <summary>The member, unless absent or <c>null</c>.</summary>
    public JsonElement? Get(string field) =>
        _members.TryGetValue(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A Go <c>string</c>; null when absent (Go's zero value is "").</summary>
    public string? String(string field) => Get(field) is { } v
        ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw Invalid(field, "a string")
        : null;

    /// <summary>A Go <c>bool</c>; false when absent.</summary>
    public bool Boolean(string field) => Get(field) is { } v
        ? v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Invalid(field, "a boolean")
        : false;

    /// <summary>A Go integer read into 32 bits; <paramref name="absent"/> when absent.</summary>
    public int Int32(string field, int absent = 0) => Get(field) is { } v
        ? v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : throw Invalid(field, "a 32-bit integer")
        : absent;

    /// <summary>A Go <c>int</c> (64-bit); <paramref name="absent"/> when absent.</summary>
    public long Int64(string field, long absent = 0) => Get(field) is { } v
        ? v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Invalid(field, "an integer")
        : absent;

    /// <summary>A Go <c>[]byte</c>: standard base64 text; null when absent.</summary>
    public byte[]? Bytes(string field)
    {
        if (String(field) is not { } text)
        {
            return null;
        }
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Invalid(field, "standard base64");
        }
    }

    /// <summary>A Go <c>time.Time</c> (<see cref="GoTimeJson.TryParse"/>), at the offset written; null when absent.</summary>
    public DateTimeOffset? Time(string field) => String(field) is { } text
        ? GoTimeJson.TryParse(text, out var time) ? time : throw Invalid(field, "an RFC 3339 time")
        : null;

    /// <summary>A nested struct (a Go pointer-to-struct field); null when absent.</summary>
    public GoJsonObject? Object(string field, IReadOnlyList<string>? fields = null) => Get(field) is { } v
        ? Read(v, MemberPath(field), _error, fields)
        : null;

    /// <summary>An array member's items; empty when absent.</summary>
    public IEnumerable<JsonElement> Array(string field) => Get(field) is { } v
        ? v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw Invalid(field, "an array")
        : [];

    /// <summary>x509util's <c>MultiString</c>: a string or an array of strings; empty when absent.</summary>
    public List<string> Strings(string field) => Get(field) is { } v ? ReadStrings(v, MemberPath(field), _error) : [];

    /// <summary>Reads a string or an array of strings (x509util <c>MultiString</c>); null is empty.</summary>
    public static List<string> ReadStrings(JsonElement value, string path, GoJsonError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return [];
            case JsonValueKind.String:
                return [value.GetString()!];
            case JsonValueKind.Array:
                var list = new List<string>(value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                {
                    list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw error(path, "a string or an array of strings"));
                }
                return list;
            default:
                throw error(path, "a string or an array of strings");
        }
    }

    /// <summary>The caller's error for <paramref name="field"/> of this object not being <paramref name="expected"/>.</summary>
    public Exception Invalid(string field, string expected) => _error(MemberPath(field), expected);

    private string MemberPath(string field) => Path.Length == 0 ? field : $"{Path}.{field}";
}
