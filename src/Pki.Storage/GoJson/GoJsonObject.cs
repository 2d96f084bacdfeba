using System.Text.Json;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Storage.GoJson;

/// <summary>
/// Reads a JSON object the way Go's <c>json.Unmarshal</c> fills a struct: keys match field names
/// case-insensitively, the last duplicate wins, unknown keys are ignored, and a missing key or
/// <c>null</c> leaves the zero value. A value of the wrong JSON type is an error, reported as a
/// <see cref="PkiException"/> of kind <see cref="PkiErrorKind.Internal"/> naming <see cref="What"/>
/// (stored rows are our own data; a malformed one is a fault, not a client error).
/// </summary>
internal readonly struct GoJsonObject
{
    private readonly JsonElement _element;

    private GoJsonObject(JsonElement element, string what)
    {
        _element = element;
        What = what;
    }

    /// <summary>What is being read, for error messages (e.g. <c>revoked_x509_certs row 123</c>).</summary>
    public string What { get; }

    /// <summary>Parses <paramref name="json"/>, which must be one JSON object.</summary>
    public static GoJsonObject Parse(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            // The document is cloned so the object outlives the parse buffer; rows are small.
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
            var element = JsonElement.ParseValue(ref reader);
            if (reader.Read())
            {
                throw Malformed(what, "data after the JSON value");
            }
            return element.ValueKind == JsonValueKind.Object
                ? new GoJsonObject(element, what)
                : throw Malformed(what, "not a JSON object");
        }
        catch (JsonException ex)
        {
            throw Malformed(what, ex.Message, ex);
        }
    }

    /// <summary>A string field; "" when missing or null.</summary>
    public string String(string name) => Field(name) switch
    {
        null => string.Empty,
        { ValueKind: JsonValueKind.String } value => value.GetString()!,
        _ => throw Malformed(What, $"{name} is not a string"),
    };

    /// <summary>A boolean field; false when missing or null.</summary>
    public bool Boolean(string name) => Field(name) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Malformed(What, $"{name} is not a boolean"),
    };

    /// <summary>A Go <c>int</c> field read into 32 bits; 0 when missing or null.</summary>
    public int Int32(string name) => Field(name) switch
    {
        null => 0,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) => number,
        _ => throw Malformed(What, $"{name} is not a 32-bit integer"),
    };

    /// <summary>A <c>time.Time</c> field; Go's zero time (<see cref="DateTimeOffset.MinValue"/>) when missing or null.</summary>
    public DateTimeOffset Time(string name) => Field(name) switch
    {
        null => DateTimeOffset.MinValue,
        { ValueKind: JsonValueKind.String } value when GoTime.TryParse(value.GetString()!, out var time) => time,
        _ => throw Malformed(What, $"{name} is not an RFC 3339 time"),
    };

    /// <summary>A nested object (a Go pointer-to-struct field); null when missing or null.</summary>
    public GoJsonObject? Object(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } value => new GoJsonObject(value, $"{What} {name}"),
        _ => throw Malformed(What, $"{name} is not an object"),
    };

    private JsonElement? Field(string name)
    {
        JsonElement? found = null;
        foreach (var property in _element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                found = property.Value;
            }
        }
        return found is { ValueKind: JsonValueKind.Null } ? null : found;
    }

    private static PkiException Malformed(string what, string reason, Exception? inner = null) =>
        PkiException.Internal($"stored {what} is malformed: {reason}", inner);
}
