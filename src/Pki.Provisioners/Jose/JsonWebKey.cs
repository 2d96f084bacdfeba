using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Parameters;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// A JSON Web Key (RFC 7517) for signatures: EC (P-256/P-384/P-521), RSA (2048–16384 bits) or OKP
/// (Ed25519), public or private. Parsing validates and imports the key once; an instance is
/// immutable and thread-safe, so keep it (for example per provisioner) and verify any number of
/// tokens with it concurrently. Symmetric (<c>oct</c>) keys are refused: a CA must never verify
/// HMAC tokens with a provisioner key.
/// </summary>
public sealed class JsonWebKey
{
    /// <summary>Largest JWK JSON accepted (a 16384-bit RSA private key is about 12 KB).</summary>
    public const int MaxJsonBytes = 64 * 1024;

    private string? _thumbprint;

    private JsonWebKey(JwkKeyMaterial material, string? use, string? keyId, string? algorithm)
    {
        if (algorithm is not null && !material.Supports(algorithm))
        {
            var curve = material.Curve is null ? "" : $" and crv '{material.Curve}'";
            throw JwkKeyMaterial.JwkError($"alg '{algorithm}' is not compatible with kty '{material.KeyType}'{curve}");
        }
        Material = material;
        Use = use;
        KeyId = keyId;
        Algorithm = algorithm;
    }

    /// <summary>The key type (<c>kty</c>): <c>EC</c>, <c>RSA</c> or <c>OKP</c>.</summary>
    public string KeyType => Material.KeyType;

    /// <summary>The curve (<c>crv</c>): <c>P-256</c>, <c>P-384</c>, <c>P-521</c>, <c>Ed25519</c>; null for RSA.</summary>
    public string? Curve => Material.Curve;

    /// <summary>The intended use (<c>use</c>), normally <c>sig</c>; null when absent.</summary>
    public string? Use { get; }

    /// <summary>The key ID (<c>kid</c>); for step keys the RFC 7638 thumbprint. Null when absent.</summary>
    public string? KeyId { get; }

    /// <summary>The JWS algorithm (<c>alg</c>) the key is restricted to; null when absent.</summary>
    public string? Algorithm { get; }

    /// <summary>True when the private part (<c>d</c>) is present.</summary>
    public bool HasPrivateKey => Material.HasPrivateKey;

    internal JwkKeyMaterial Material { get; }

    /// <summary>The algorithm tokens are signed with: <see cref="Algorithm"/>, else the key type's default
    /// (ES256/ES384/ES512 by curve, RS256, EdDSA).</summary>
    public string SigningAlgorithm => Algorithm ?? Material.DefaultAlgorithm;

    /// <summary>Parses a JWK from JSON text.</summary>
    /// <exception cref="PkiException">BadRequest when the JSON or the key is invalid or unsupported.</exception>
    public static JsonWebKey Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJsonBytes)
        {
            throw JwkKeyMaterial.JwkError("too large");
        }
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Parses a JWK from UTF-8 JSON.</summary>
    /// <exception cref="PkiException">BadRequest when the JSON or the key is invalid or unsupported.</exception>
    public static JsonWebKey Parse(ReadOnlyMemory<byte> utf8Json)
    {
        if (utf8Json.Length > MaxJsonBytes)
        {
            throw JwkKeyMaterial.JwkError("too large");
        }
        if (!JoseJson.TryParseObject(utf8Json, out var element))
        {
            throw JwkKeyMaterial.JwkError("not a JSON object");
        }
        return Parse(element);
    }

    /// <summary>Parses a JWK from a JSON element (for example ca.json's provisioner <c>key</c>).</summary>
    /// <exception cref="PkiException">BadRequest when the element or the key is invalid or unsupported.</exception>
    public static JsonWebKey Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw JwkKeyMaterial.JwkError("not a JSON object");
        }
        if (!JoseJson.TryGetString(element, "kty", out var kty)
            || !JoseJson.TryGetString(element, "use", out var use)
            || !JoseJson.TryGetString(element, "kid", out var kid)
            || !JoseJson.TryGetString(element, "alg", out var alg))
        {
            throw JwkKeyMaterial.JwkError("members 'kty', 'use', 'kid' and 'alg' must be strings");
        }
        JwkKeyMaterial material = kty switch
        {
            "EC" => EcJwkKey.Read(element),
            "RSA" => RsaJwkKey.Read(element),
            "OKP" => OkpJwkKey.Read(element),
            null => throw JwkKeyMaterial.JwkError("member 'kty' is missing"),
            _ => throw JwkKeyMaterial.JwkError($"unsupported key type '{kty}'"),
        };
        return new JsonWebKey(material, use, kid, alg);
    }

    /// <summary>
    /// Generates a private signing key the way step does for a new provisioner (<c>jose.GenerateJWK</c>):
    /// <c>use: sig</c>, the given <c>alg</c>, and <c>kid</c> = the RFC 7638 thumbprint.
    /// </summary>
    /// <param name="algorithm">ES256 (step's default), ES384, ES512, RS256…PS512 (2048-bit RSA) or EdDSA.</param>
    public static JsonWebKey Generate(string algorithm = "ES256")
    {
        JwkKeyMaterial material = algorithm switch
        {
            "ES256" or "ES384" or "ES512" => EcJwkKey.Generate(algorithm),
            "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => RsaJwkKey.Generate(),
            "EdDSA" => OkpJwkKey.Generate(),
            _ => throw new ArgumentException("unsupported signature algorithm: " + algorithm, nameof(algorithm)),
        };
        var unnamed = new JsonWebKey(material, "sig", null, algorithm);
        return unnamed.WithMetadata("sig", unnamed.Thumbprint(), algorithm);
    }

    /// <summary>Copies an ECDSA key (P-256/P-384/P-521); the caller keeps ownership of <paramref name="key"/>.</summary>
    public static JsonWebKey FromEcdsa(ECDsa key, bool includePrivateKey = false, string? use = null, string? keyId = null, string? algorithm = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new JsonWebKey(EcJwkKey.From(key, includePrivateKey), use, keyId, algorithm);
    }

    /// <summary>Copies an RSA key; the caller keeps ownership of <paramref name="key"/>.</summary>
    public static JsonWebKey FromRsa(RSA key, bool includePrivateKey = false, string? use = null, string? keyId = null, string? algorithm = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new JsonWebKey(RsaJwkKey.From(key, includePrivateKey), use, keyId, algorithm);
    }

    /// <summary>An Ed25519 key from RFC 8032 bytes: the 32-byte public key and, optionally, the 32-byte private seed.</summary>
    public static JsonWebKey FromEd25519(byte[] publicKey, byte[]? privateSeed = null, string? use = null, string? keyId = null, string? algorithm = null)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Length != 32 || privateSeed is { Length: not 32 })
        {
            throw JwkKeyMaterial.JwkError("Ed25519 keys are 32 bytes");
        }
        return new JsonWebKey(OkpJwkKey.From(publicKey, privateSeed), use, keyId, algorithm);
    }

    /// <summary>The public key of a certificate (EC, RSA or Ed25519), without metadata, for verifying
    /// tokens signed by the certificate's key (x5c, x5cInsecure).</summary>
    public static JsonWebKey FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using (var ec = certificate.GetECDsaPublicKey())
        {
            if (ec is not null)
            {
                return FromEcdsa(ec);
            }
        }
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return FromRsa(rsa);
            }
        }
        // RFC 8410 §3: id-Ed25519; the subjectPublicKey BIT STRING holds the 32 raw bytes.
        if (certificate.PublicKey.Oid.Value == "1.3.101.112")
        {
            return FromEd25519(certificate.PublicKey.EncodedKeyValue.RawData);
        }
        throw JwkKeyMaterial.JwkError("unsupported certificate key algorithm " + certificate.PublicKey.Oid.Value);
    }

    /// <summary>The same key with other <c>use</c>, <c>kid</c> and <c>alg</c> values.</summary>
    public JsonWebKey WithMetadata(string? use, string? keyId, string? algorithm) => new(Material, use, keyId, algorithm);

    /// <summary>The public half, keeping <c>use</c>, <c>kid</c> and <c>alg</c> (this instance if already public).</summary>
    public JsonWebKey ToPublic() => HasPrivateKey ? new JsonWebKey(Material.ToPublic(), Use, KeyId, Algorithm) : this;

    /// <summary>The RFC 7638 thumbprint: base64url(SHA-256(canonical required members)). Cached.</summary>
    public string Thumbprint() =>
        _thumbprint ??= Base64UrlCodec.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(Material.ThumbprintInput())));

    /// <summary>True when both keys have the same public key (same thumbprint), whatever their metadata.</summary>
    public bool HasSamePublicKey(JsonWebKey other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Thumbprint() == other.Thumbprint();
    }

    /// <summary>
    /// Serializes in go-jose's member order — <c>use, kty, kid, crv, alg, x, y, d</c> (EC),
    /// <c>use, kty, kid, alg, n, e, d, p, q, dp, dq, qi</c> (RSA), <c>use, kty, kid, crv, alg, x, d</c>
    /// (OKP) — omitting absent members. Private members are written only when present; call
    /// <see cref="ToPublic"/> first to publish a key.
    /// </summary>
    public string ToJson() => Encoding.UTF8.GetString(ToUtf8Json());

    /// <summary>As <see cref="ToJson"/>, in UTF-8.</summary>
    public byte[] ToUtf8Json() => JoseJson.Write(WriteTo);

    /// <summary>Writes the JWK object to a JSON writer (see <see cref="ToJson"/> for the layout).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteOptional(writer, "use", Use);
        writer.WriteString("kty", KeyType);
        WriteOptional(writer, "kid", KeyId);
        WriteOptional(writer, "crv", Curve);
        WriteOptional(writer, "alg", Algorithm);
        Material.WriteKeyMembers(writer, includePrivate: true);
        writer.WriteEndObject();
    }

    /// <summary>A new platform ECDSA key (private when present); the caller disposes it.</summary>
    /// <exception cref="InvalidOperationException">The key is not an EC key.</exception>
    public ECDsa CreateEcdsa() => (Material as EcJwkKey)?.CreateEcdsa() ?? throw WrongType("EC");

    /// <summary>A new platform RSA key (private when present); the caller disposes it.</summary>
    /// <exception cref="InvalidOperationException">The key is not an RSA key.</exception>
    public RSA CreateRsa() => (Material as RsaJwkKey)?.CreateRsa() ?? throw WrongType("RSA");

    /// <summary>The BouncyCastle Ed25519 public key.</summary>
    /// <exception cref="InvalidOperationException">The key is not an Ed25519 key.</exception>
    public Ed25519PublicKeyParameters GetEd25519PublicKey() => (Material as OkpJwkKey)?.PublicKey ?? throw WrongType("OKP");

    /// <summary>The BouncyCastle Ed25519 private key.</summary>
    /// <exception cref="InvalidOperationException">The key is not an Ed25519 private key.</exception>
    public Ed25519PrivateKeyParameters GetEd25519PrivateKey() => (Material as OkpJwkKey)?.PrivateKey ?? throw WrongType("OKP private");

    /// <summary>Whether tokens with this JWS <c>alg</c> may be verified with this key: the algorithm
    /// must match the key type and curve, and equal <see cref="Algorithm"/> when the JWK has one.</summary>
    public bool Accepts(string algorithm) =>
        Material.Supports(algorithm) && (Algorithm is null || Algorithm == algorithm);

    /// <inheritdoc />
    public override string ToString() => $"{KeyType} {Curve} kid={KeyId}{(HasPrivateKey ? " (private)" : "")}";

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    private InvalidOperationException WrongType(string wanted) => new($"the JWK is {KeyType}, not {wanted}");
}
