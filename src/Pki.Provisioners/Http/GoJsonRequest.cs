using System.Text.Json;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>Reads one member value of a request object; returns false for members it does not know.</summary>
internal delegate bool JsonMemberReader<in T>(T target, string name, ref Utf8JsonReader reader);

/// <summary>
/// Decodes a request body as step-ca's <c>read.JSON</c> does (<c>json.NewDecoder(body).Decode(&amp;v)</c>
/// into a struct): only the first JSON value is read and anything after it is ignored; a top-level
/// <c>null</c> leaves every field unset; member names match case-insensitively, the last duplicate
/// wins; unknown members are ignored; <c>null</c> leaves a field unset; a value of the wrong type fails.
/// Every failure is 400 <c>error decoding json</c> with the specific reason inside (logged only).
/// </summary>
internal static class GoJsonRequest
{
    private static readonly JsonReaderOptions Options = new() { AllowMultipleValues = true, MaxDepth = 64 };

    public static T Decode<T>(byte[] body, T target, JsonMemberReader<T> readMember)
    {
        try
        {
            var reader = new Utf8JsonReader(body, Options);
            if (!reader.Read())
            {
                throw new JsonException("EOF");
            }
            if (reader.TokenType == JsonTokenType.Null)
            {
                return target;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"cannot unmarshal {Describe(reader.TokenType)} into a request object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (!readMember(target, name, ref reader))
                {
                    reader.Skip();
                }
            }
            return target;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw PkiException.BadRequest("error decoding json", e);
        }
    }

    /// <summary>True when <paramref name="name"/> is the Go field tag <paramref name="tag"/> (encoding/json folds case).</summary>
    public static bool Is(string name, string tag) => string.Equals(name, tag, StringComparison.OrdinalIgnoreCase);

    /// <summary>A Go <c>string</c> field: a JSON string, or null for "unchanged".</summary>
    public static string ReadString(ref Utf8JsonReader reader, string current, string field) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Null => current,
        _ => throw TypeMismatch(reader.TokenType, field, "string"),
    };

    /// <summary>A Go <c>int</c> (64-bit) field: an integer literal without fraction or exponent.</summary>
    public static long ReadInteger(ref Utf8JsonReader reader, long current, string field) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
        JsonTokenType.Null => current,
        _ => throw TypeMismatch(reader.TokenType, field, "int"),
    };

    /// <summary>A Go <c>bool</c> field.</summary>
    public static bool ReadBoolean(ref Utf8JsonReader reader, bool current, string field) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => current,
        _ => throw TypeMismatch(reader.TokenType, field, "bool"),
    };

    private static JsonException TypeMismatch(JsonTokenType token, string field, string type) =>
        new($"cannot unmarshal {Describe(token)} into field {field} of type {type}");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "bool",
        _ => token.ToString(),
    };
}
