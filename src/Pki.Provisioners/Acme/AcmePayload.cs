using System.Text.Json;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>Reads JWS payloads: a JSON object or <c>malformed</c>. Stateless.</summary>
public static class AcmePayload
{
    /// <summary>The payload as a JSON object.</summary>
    public static JsonElement Object(AcmeJws jws)
    {
        ArgumentNullException.ThrowIfNull(jws);
        try
        {
            using var document = JsonDocument.Parse(jws.Payload, new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw AcmeErrors.Malformed("the payload must be a JSON object");
        }
        catch (JsonException)
        {
            throw AcmeErrors.Malformed("the payload is not JSON");
        }
    }

    /// <summary>A string member, or null when absent or null; <c>malformed</c> when of another type.</summary>
    public static string? String(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw AcmeErrors.Malformed($"\"{name}\" must be a string")
            : null;

    /// <summary>A boolean member, false when absent.</summary>
    public static bool Boolean(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
        && (value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw AcmeErrors.Malformed($"\"{name}\" must be a boolean"));

    /// <summary>An array of strings, or null when absent.</summary>
    public static string[]? Strings(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                ? value.EnumerateArray().Select(e => e.GetString()!).ToArray()
                : throw AcmeErrors.Malformed($"\"{name}\" must be an array of strings")
            : null;

    /// <summary>RFC 8555 §6.3: a POST-as-GET has an empty payload.</summary>
    public static void RequirePostAsGet(AcmeJws jws)
    {
        ArgumentNullException.ThrowIfNull(jws);
        if (!jws.IsPostAsGet)
        {
            throw AcmeErrors.Malformed("this resource is fetched with POST-as-GET (an empty payload)");
        }
    }
}
