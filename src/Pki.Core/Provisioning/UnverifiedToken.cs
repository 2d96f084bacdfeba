using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// A compact JWS (RFC 7515 §7.1) decoded once by the authority but NOT verified: its header and
/// claims choose the provisioner (step-ca <c>LoadByToken</c>), which then verifies the signature over
/// <see cref="SigningInput"/> without decoding the token again. Decoding is strict: three parts of the
/// base64url alphabet without padding, each of the first two a JSON object without duplicate
/// members, comments or trailing commas, at most 32 levels deep. Immutable and thread-safe.
/// </summary>
public sealed class UnverifiedToken
{
    /// <summary>The largest token accepted, to bound the work done on hostile input.</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly JsonDocumentOptions ReadOptions = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,
    };

    private readonly byte[] _signingInput;
    private readonly byte[] _signature;

    private UnverifiedToken(string raw, JsonElement header, JsonElement claims, string claimsJson, byte[] signingInput, byte[] signature)
    {
        Raw = raw;
        Header = header;
        Claims = claims;
        ClaimsJson = claimsJson;
        _signingInput = signingInput;
        _signature = signature;
        KeyId = StringMember(header, "kid");
        Algorithm = StringMember(header, "alg");
        Issuer = StringMember(claims, "iss");
        Subject = StringMember(claims, "sub");
        Audience = ReadAudience(claims);
    }

    /// <summary>The token text (what step-ca stores in <c>used_ott</c>).</summary>
    public string Raw { get; }

    /// <summary>The decoded JOSE header.</summary>
    public JsonElement Header { get; }

    /// <summary>The decoded claims.</summary>
    public JsonElement Claims { get; }

    /// <summary>The claims as the UTF-8 JSON text they were decoded from.</summary>
    public string ClaimsJson { get; }

    /// <summary>RFC 7515 §5.2 step 8: ASCII(header '.' payload), what the signature covers.</summary>
    public ReadOnlySpan<byte> SigningInput => _signingInput;

    /// <summary>The decoded signature.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

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

    /// <summary>Claim <c>iat</c> in whole seconds (RFC 7519 §2 NumericDate), or null when absent or not a number.</summary>
    public long? IssuedAt =>
        Claims.TryGetProperty("iat", out var iat) && iat.ValueKind == JsonValueKind.Number && iat.TryGetDouble(out var seconds) ? (long)Math.Floor(seconds) : null;

    /// <summary>A string claim, or null when absent or not a string.</summary>
    public string? ClaimString(string name) => StringMember(Claims, name);

    /// <summary>Decodes a compact JWS.</summary>
    /// <exception cref="PkiException">Unauthorized when it is empty, too large or not a compact JWS of JSON objects.</exception>
    public static UnverifiedToken Parse(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength)
        {
            throw Invalid("empty or too large");
        }
        var first = token.IndexOf('.');
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (second < 0 || token.IndexOf('.', second + 1) >= 0)
        {
            throw Invalid("a compact JWS must have three parts");
        }
        var headerBytes = Decode(token.AsSpan(0, first));
        var claimsBytes = Decode(token.AsSpan(first + 1, second - first - 1));
        var signature = Decode(token.AsSpan(second + 1));
        // The parts are base64url, so ASCII is exact.
        var signingInput = Encoding.ASCII.GetBytes(token, 0, second);
        return new UnverifiedToken(token, ParseObject(headerBytes), ParseObject(claimsBytes), Encoding.UTF8.GetString(claimsBytes), signingInput, signature);
    }

    private static byte[] Decode(ReadOnlySpan<char> part)
    {
        // RFC 7515 §2: base64url without padding; the length check refuses a dangling character.
        var buffer = new byte[Base64Url.GetMaxDecodedLength(part.Length)];
        if (part.Length % 4 == 1 || part.ContainsAnyExcept(Base64UrlAlphabet)
            || Base64Url.DecodeFromChars(part, buffer, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            throw Invalid("a part is not valid base64url");
        }
        return buffer.AsSpan(0, written).ToArray();
    }

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static JsonElement ParseObject(byte[] utf8)
    {
        try
        {
            using var doc = JsonDocument.Parse(utf8, ReadOptions);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : throw Invalid("not a JSON object");
        }
        catch (JsonException e)
        {
            throw PkiException.Unauthorized("error parsing token: invalid JSON", e);
        }
    }

    private static PkiException Invalid(string reason) => PkiException.Unauthorized("error parsing token: " + reason);

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
