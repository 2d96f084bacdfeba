using System.Text.Encodings.Web;
using System.Text.Json;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// JSON reading and writing shared by the JOSE types. Reading is strict: duplicate member names are
/// rejected (two parsers must never see two different values for one header or claim), depth is
/// bounded, and a member of the wrong JSON type is an error rather than silently ignored.
/// </summary>
internal static class JoseJson
{
    private static readonly JsonDocumentOptions ReadOptions = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,
    };

    /// <summary>
    /// Writer options: like Go's encoding/json, '+' stays literal (the JWE <c>alg</c> value
    /// <c>PBES2-HS256+A128KW</c> must appear as-is), and no indentation.
    /// </summary>
    public static readonly JsonWriterOptions WriteOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Parses a JSON object; the result owns its memory (safe to keep).</summary>
    public static bool TryParseObject(ReadOnlyMemory<byte> utf8, out JsonElement value)
    {
        value = default;
        try
        {
            using var document = JsonDocument.Parse(utf8, ReadOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            value = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads an optional string member. Absent or JSON null gives null; any other non-string type
    /// returns false.
    /// </summary>
    public static bool TryGetString(JsonElement obj, string name, out string? value)
    {
        value = null;
        if (!obj.TryGetProperty(name, out var member) || member.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (member.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        value = member.GetString();
        return true;
    }

    /// <summary>
    /// Reads an optional array-of-strings member. Absent or JSON null gives null; a non-array or a
    /// non-string element returns false.
    /// </summary>
    public static bool TryGetStringArray(JsonElement obj, string name, out IReadOnlyList<string>? value)
    {
        value = null;
        if (!obj.TryGetProperty(name, out var member) || member.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        return TryReadStringArray(member, out value);
    }

    /// <summary>Reads a JSON array whose elements are all strings.</summary>
    public static bool TryReadStringArray(JsonElement member, out IReadOnlyList<string>? value)
    {
        value = null;
        if (member.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        var list = new List<string>(member.GetArrayLength());
        foreach (var item in member.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }
            list.Add(item.GetString()!);
        }
        value = list;
        return true;
    }

    /// <summary>Serializes with <see cref="WriteOptions"/> into UTF-8 bytes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriteOptions))
        {
            write(writer);
        }
        return stream.ToArray();
    }
}
