using System.Security.Cryptography;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Org.BouncyCastle.Security;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// An OKP JWK (RFC 8037 §2) on Ed25519, backed by BouncyCastle because .NET has no Ed25519.
/// Only <c>crv: Ed25519</c> is accepted (go-jose's JWK parser knows no other OKP curve). The
/// public point is decoded and validated once here, not on every verification.
/// </summary>
internal sealed class OkpJwkKey : JwkKeyMaterial
{
    private const string Ed25519Curve = "Ed25519";

    private readonly Ed25519PublicKeyParameters _public;
    private readonly Ed25519PrivateKeyParameters? _private;

    private OkpJwkKey(Ed25519PublicKeyParameters publicKey, Ed25519PrivateKeyParameters? privateKey)
    {
        _public = publicKey;
        _private = privateKey;
    }

    /// <inheritdoc />
    public override string KeyType => "OKP";

    /// <inheritdoc />
    public override string? Curve => Ed25519Curve;

    /// <inheritdoc />
    public override bool HasPrivateKey => _private is not null;

    /// <inheritdoc />
    public override string DefaultAlgorithm => "EdDSA";

    /// <summary>The BouncyCastle public key.</summary>
    public Ed25519PublicKeyParameters PublicKey => _public;

    /// <summary>The BouncyCastle private key, or null for a public JWK.</summary>
    public Ed25519PrivateKeyParameters? PrivateKey => _private;

    /// <summary>Reads <c>crv, x[, d]</c> from a JWK object.</summary>
    public static OkpJwkKey Read(JsonElement jwk)
    {
        if (!JoseJson.TryGetString(jwk, "crv", out var crv) || crv != Ed25519Curve)
        {
            throw JwkError($"unsupported OKP curve '{crv}', only Ed25519 is supported");
        }
        var x = ReadBytes(jwk, "x", required: true)!;
        var d = ReadBytes(jwk, "d", required: false);
        if (x.Length != Ed25519PublicKeyParameters.KeySize || (d is not null && d.Length != Ed25519PrivateKeyParameters.KeySize))
        {
            throw JwkError("Ed25519 'x' and 'd' must be 32 bytes");
        }
        return From(x, d);
    }

    /// <summary>Builds from raw RFC 8032 key bytes; <paramref name="d"/> is the 32-byte seed.</summary>
    public static OkpJwkKey From(byte[] x, byte[]? d)
    {
        Ed25519PublicKeyParameters publicKey;
        try
        {
            publicKey = new Ed25519PublicKeyParameters(x);
        }
        catch (ArgumentException e)
        {
            throw JwkError("the Ed25519 public key is not a valid point", e);
        }
        if (d is null)
        {
            return new OkpJwkKey(publicKey, null);
        }
        var privateKey = new Ed25519PrivateKeyParameters(d);
        if (!CryptographicOperations.FixedTimeEquals(privateKey.GeneratePublicKey().GetEncoded(), x))
        {
            throw JwkError("the Ed25519 'd' does not match 'x'");
        }
        return new OkpJwkKey(publicKey, privateKey);
    }

    /// <summary>A fresh key pair.</summary>
    public static OkpJwkKey Generate()
    {
        var privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        return new OkpJwkKey(privateKey.GeneratePublicKey(), privateKey);
    }

    /// <inheritdoc />
    public override bool Supports(string algorithm) => algorithm == "EdDSA";

    /// <inheritdoc />
    public override string ThumbprintInput() =>
        $"{{\"crv\":\"{Ed25519Curve}\",\"kty\":\"OKP\",\"x\":\"{Base64UrlCodec.Encode(_public.GetEncoded())}\"}}";

    /// <inheritdoc />
    public override void WriteKeyMembers(Utf8JsonWriter writer, bool includePrivate)
    {
        WriteBytes(writer, "x", _public.GetEncoded());
        if (includePrivate && _private is not null)
        {
            WriteBytes(writer, "d", _private.GetEncoded());
        }
    }

    /// <inheritdoc />
    public override JwkKeyMaterial ToPublic() => _private is null ? this : new OkpJwkKey(_public, null);

    /// <inheritdoc />
    public override bool Verify(string algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519.SignatureSize
        && _public.Verify(Ed25519.Algorithm.Ed25519, null, signingInput, signature);

    /// <inheritdoc />
    public override byte[] Sign(string algorithm, ReadOnlySpan<byte> signingInput)
    {
        var privateKey = _private ?? throw new InvalidOperationException("the JWK has no private key");
        var signature = new byte[Ed25519.SignatureSize];
        privateKey.Sign(Ed25519.Algorithm.Ed25519, null, signingInput, signature);
        return signature;
    }
}
