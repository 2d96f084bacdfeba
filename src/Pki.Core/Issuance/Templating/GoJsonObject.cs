using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>
/// Reads a JSON object the way Go's encoding/json fills a struct: a member matches a field by
/// exact name, else case-insensitively; the last duplicate wins; unknown members are ignored;
/// <c>null</c> leaves the field unset. Type errors become 400s naming the member.
/// </summary>
internal sealed class GoJsonObject
{
    private readonly Dictionary<string, JsonElement> _members = new(StringComparer.Ordinal);

    private GoJsonObject(JsonElement element, IReadOnlyList<string> fields, string path)
    {
        Path = path;
        foreach (var property in element.EnumerateObject())
        {
            var field = fields.FirstOrDefault(f => f == property.Name)
                ?? fields.FirstOrDefault(f => string.Equals(f, property.Name, StringComparison.OrdinalIgnoreCase));
            if (field is not null)
            {
                _members[field] = property.Value;
            }
        }
    }

    /// <summary>Where this object sits in the template output, for messages.</summary>
    public string Path { get; }

    /// <summary>Reads an object; anything else is a 400.</summary>
    public static GoJsonObject Read(JsonElement element, IReadOnlyList<string> fields, string path) =>
        element.ValueKind == JsonValueKind.Object
            ? new GoJsonObject(element, fields, path)
            : throw Invalid(path, "an object");

    /// <summary>The member, unless absent or null.</summary>
    public JsonElement? Get(string field) =>
        _members.TryGetValue(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string member.</summary>
    public string? String(string field) => Get(field) is { } v
        ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw Invalid($"{Path}.{field}", "a string")
        : null;

    /// <summary>A boolean member (false when absent).</summary>
    public bool Bool(string field) => Get(field) is { } v
        ? v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Invalid($"{Path}.{field}", "a boolean")
        : false;

    /// <summary>An int member (Go's <c>int</c>, 64-bit), or <paramref name="absent"/>.</summary>
    public long Int(string field, long absent) => Get(field) is { } v
        ? v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Invalid($"{Path}.{field}", "an integer")
        : absent;

    /// <summary>Go's <c>[]byte</c>: standard base64 text.</summary>
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
            throw Invalid($"{Path}.{field}", "standard base64");
        }
    }

    /// <summary>x509util <c>MultiString</c>: a string or an array of strings.</summary>
    public List<string> Strings(string field) => Get(field) is { } v ? ReadStrings(v, $"{Path}.{field}") : [];

    /// <summary>Reads a string or an array of strings.</summary>
    public static List<string> ReadStrings(JsonElement value, string path)
    {
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
                    list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid(path, "a string or an array of strings"));
                }
                return list;
            default:
                throw Invalid(path, "a string or an array of strings");
        }
    }

    /// <summary>An array member's items (empty when absent).</summary>
    public IEnumerable<JsonElement> Array(string field) => Get(field) is { } v
        ? v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw Invalid($"{Path}.{field}", "an array")
        : [];

    /// <summary>Go's <c>time.Time</c>: RFC 3339 text; null or absent is the zero time.</summary>
    public DateTimeOffset? Time(string field)
    {
        if (String(field) is not { } text)
        {
            return null;
        }
        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.ToUniversalTime()
            : throw Invalid($"{Path}.{field}", "an RFC 3339 time");
    }

    /// <summary>x509util <c>SerialNumber</c>: an integer, or a string in base 10 or with a 0x/0o/0b prefix.</summary>
    public BigInteger? Serial(string field)
    {
        if (Get(field) is not { } v)
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.Number)
        {
            return v.TryGetInt64(out var n) ? n : throw Invalid($"{Path}.{field}", "an int64 or a string");
        }
        var text = v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Invalid($"{Path}.{field}", "an integer or a string");
        return GoBigInteger.TryParse(text, out var serial) ? serial : throw PkiException.BadRequest($"error applying certificate template: serialNumber {text} is not valid");
    }

    /// <summary>A 400 for a member of the wrong shape.</summary>
    public static PkiException Invalid(string path, string expected) =>
        PkiException.BadRequest($"error applying certificate template: {path} must be {expected}");
}
