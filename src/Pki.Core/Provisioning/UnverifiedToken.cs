using System.Buffers.Text;
using System.Text.Json;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// A compact JWS whose header and claims were decoded but NOT verified: good only for choosing
/// the provisioner that will verify it (step-ca <c>LoadByToken</c>).
/// </summary>
public sealed class UnverifiedToken
{
    /// <summary>The largest token accepted, to bound the work done on hostile input.</summary>
    public const int MaxLength = 64 * 1024;

    private UnverifiedToken(string raw, JsonElement header, JsonElement claims)
    {
        Raw = raw;
        Header = header;
        Claims = claims;
        KeyId = StringMember(header, "kid");
        Algorithm = StringMember(header, "alg");
        Issuer = StringMember(claims, "iss");
        Subject = StringMember(claims, "sub");
        Audience = ReadAudience(claims);
    }

    /// <summary>The token text.</summary>
    public string Raw { get; }

    /// <summary>The decoded JOSE header.</summary>
    public JsonElement Header { get; }

    /// <summary>The decoded claims.</summary>
    public JsonElement Claims { get; }

    /// <summary>Header <c>kid</c>, or null.</summary>
    public string? KeyId { get; }

    /// <summary>Header <c>alg</c>, or null.</summary>
    public string? Algorithm { get; }

    /// <summary>Claim <c>iss</c>, or null.</summary>
    public string? Issuer { get; }

    /// <summary>Claim <c>sub</c>, or null.</summary>
    public string? Subject { get; }

    /// <summary>Claim <c>aud</c> as a list (a single string becomes one entry).</summary>
    public IReadOnlyList<string> Audience { get; }

    /// <summary>Decodes a compact JWS; throws <see cref="PkiException"/> (401) when it is not one.</summary>
    public static UnverifiedToken Parse(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength)
        {
            throw PkiException.Unauthorized("error parsing token: empty or too large");
        }
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw PkiException.Unauthorized("error parsing token: not a compact JWS");
        }
        return new UnverifiedToken(token, DecodeObject(parts[0]), DecodeObject(parts[1]));
    }

    private static JsonElement DecodeObject(string part)
    {
        try
        {
            var bytes = Base64Url.DecodeFromChars(part);
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw PkiException.Unauthorized("error parsing token: not a JSON object");
            }
            return doc.RootElement.Clone();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw PkiException.Unauthorized("error parsing token", e);
        }
    }

    private static string? StringMember(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IReadOnlyList<string> ReadAudience(JsonElement claims)
    {
        if (!claims.TryGetProperty("aud", out var aud))
        {
            return [];
        }
        return aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => aud.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray(),
            _ => [],
        };
    }
}
