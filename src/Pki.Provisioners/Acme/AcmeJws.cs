using System.Text;
using System.Text.Json;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// A JWS in the flattened JSON serialization (RFC 7515 §7.2.2) as RFC 8555 §6.2 requires it: one
/// signature, a protected header, no unprotected header. Parsing checks only the shape; the caller
/// checks the header's nonce, url and key in step-ca's order (reference §1.4) and then verifies.
/// Immutable.
/// </summary>
public sealed class AcmeJws
{
    // RFC 8555 §6.2: asymmetric algorithms only; step-ca's list (acme/api/middleware.go).
    private static readonly HashSet<string> Algorithms = new(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
    };

    private readonly byte[] _signingInput;
    private readonly byte[] _signature;

    private AcmeJws(JsonElement header, byte[] payload, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        _signingInput = signingInput;
        _signature = signature;
        Algorithm = Member(header, "alg") ?? "";
        Nonce = Member(header, "nonce");
        Url = Member(header, "url");
        KeyId = Member(header, "kid");
        Key = header.TryGetProperty("jwk", out var jwk) && jwk.ValueKind != JsonValueKind.Null ? jwk : null;
    }

    /// <summary>The protected header.</summary>
    public JsonElement Header { get; }

    /// <summary>The decoded payload; empty for POST-as-GET (RFC 8555 §6.3).</summary>
    public byte[] Payload { get; }

    /// <summary>The header <c>alg</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The header <c>nonce</c>, or null.</summary>
    public string? Nonce { get; }

    /// <summary>The header <c>url</c>, or null.</summary>
    public string? Url { get; }

    /// <summary>The header <c>kid</c> (an account URL), or null.</summary>
    public string? KeyId { get; }

    /// <summary>The header <c>jwk</c>, or null.</summary>
    public JsonElement? Key { get; }

    /// <summary>True for a POST-as-GET (empty payload).</summary>
    public bool IsPostAsGet => Payload.Length == 0;

    /// <summary>True when <see cref="Algorithm"/> is one RFC 8555 allows (never <c>none</c> or a MAC).</summary>
    public bool HasAllowedAlgorithm => Algorithms.Contains(Algorithm);

    /// <summary>Parses a flattened JWS; throws <c>malformed</c> for anything else.</summary>
    public static AcmeJws Parse(ReadOnlySpan<byte> body)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw AcmeErrors.Malformed("the request body is not a JWS in flattened JSON serialization");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw AcmeErrors.Malformed("the request body is not a JWS in flattened JSON serialization");
        }
        if (root.TryGetProperty("signatures", out _))
        {
            throw AcmeErrors.Malformed("the JWS must have exactly one signature (flattened serialization)");
        }
        if (root.TryGetProperty("header", out _))
        {
            throw AcmeErrors.Malformed("the JWS must not have an unprotected header");
        }
        var protectedText = Text(root, "protected");
        var payloadText = Text(root, "payload");
        var signatureText = Text(root, "signature");
        if (!Base64UrlCodec.TryDecode(protectedText, out var headerBytes) || !Base64UrlCodec.TryDecode(payloadText, out var payload)
            || !Base64UrlCodec.TryDecode(signatureText, out var signature) || signature.Length == 0)
        {
            throw AcmeErrors.Malformed("the JWS members must be base64url");
        }
        JsonElement header;
        try
        {
            using var document = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 8 });
            header = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw AcmeErrors.Malformed("the JWS protected header is not JSON");
        }
        if (header.ValueKind != JsonValueKind.Object)
        {
            throw AcmeErrors.Malformed("the JWS protected header is not a JSON object");
        }
        var signingInput = Encoding.ASCII.GetBytes(protectedText + "." + payloadText);
        return new AcmeJws(header, payload, signingInput, signature);
    }

    /// <summary>
    /// Verifies the signature with <paramref name="key"/>: the algorithm must fit the key (and equal
    /// its <c>alg</c> when it has one). An ECDSA signature one or two bytes short (clients that drop
    /// leading zeros) is retried left-padded, as step-ca does.
    /// </summary>
    public bool Verify(JsonWebKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!HasAllowedAlgorithm || !key.Accepts(Algorithm))
        {
            return false;
        }
        if (key.Material.Verify(Algorithm, _signingInput, _signature))
        {
            return true;
        }
        var size = Algorithm switch { "ES256" => 64, "ES384" => 96, "ES512" => 132, _ => 0 };
        if (size == 0 || _signature.Length >= size || _signature.Length < size - 2)
        {
            return false;
        }
        var half = size / 2;
        var short1 = _signature.Length - half;
        var padded = new byte[size];
        if (short1 > 0 && short1 <= half)
        {
            // Which half lost bytes is unknown: try r short, then s short.
            _signature.AsSpan(0, short1).CopyTo(padded.AsSpan(half - short1));
            _signature.AsSpan(short1).CopyTo(padded.AsSpan(half));
            if (key.Material.Verify(Algorithm, _signingInput, padded))
            {
                return true;
            }
        }
        Array.Clear(padded);
        _signature.AsSpan(0, half).CopyTo(padded);
        _signature.AsSpan(half).CopyTo(padded.AsSpan(size - (_signature.Length - half)));
        return key.Material.Verify(Algorithm, _signingInput, padded);
    }

    /// <summary>Checks an HMAC over the signing input (external account binding, RFC 8555 §7.3.4), in constant time.</summary>
    public bool VerifyMac(System.Security.Cryptography.HashAlgorithmName hash, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var mac = System.Security.Cryptography.CryptographicOperations.HmacData(hash, key, _signingInput);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(mac, _signature);
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw AcmeErrors.Malformed($"the JWS has no \"{name}\" member");

    private static string? Member(JsonElement header, string name) =>
        header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
