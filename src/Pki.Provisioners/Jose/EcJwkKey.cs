using System.Security.Cryptography;
using System.Text.Json;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// An EC JWK (RFC 7518 §6.2) on P-256, P-384 or P-521, backed by a platform <see cref="ECDsa"/>
/// (OpenSSL on Linux). Coordinates and <c>d</c> must have the curve's full length, as go-jose's
/// <c>ecPublicKey</c>/<c>ecPrivateKey</c> require; the import rejects points off the curve and a
/// <c>d</c> that does not match the point.
/// </summary>
internal sealed class EcJwkKey : JwkKeyMaterial
{
    private static readonly EcCurve[] Curves =
    [
        new("P-256", "1.2.840.10045.3.1.7", ECCurve.NamedCurves.nistP256, 32, "ES256", HashAlgorithmName.SHA256, 415),
        new("P-384", "1.3.132.0.34", ECCurve.NamedCurves.nistP384, 48, "ES384", HashAlgorithmName.SHA384, 715),
        new("P-521", "1.3.132.0.35", ECCurve.NamedCurves.nistP521, 66, "ES512", HashAlgorithmName.SHA512, 716),
    ];

    private readonly EcCurve _curve;
    private readonly byte[] _x;
    private readonly byte[] _y;
    private readonly byte[]? _d;
    private readonly ECDsa _key;

    // The verifying key imported once into OpenSSL's EC_KEY API (null: verify with _key).
    private readonly Lazy<OpenSslEcVerifier?> _verifier;

    private EcJwkKey(EcCurve curve, byte[] x, byte[] y, byte[]? d)
    {
        _curve = curve;
        _x = x;
        _y = y;
        _d = d;
        _verifier = new Lazy<OpenSslEcVerifier?>(() => OpenSslEcVerifier.Create(curve.Nid, x, y));
        try
        {
            _key = ECDsa.Create(new ECParameters { Curve = curve.Platform, Q = new ECPoint { X = x, Y = y }, D = d });
        }
        catch (CryptographicException e)
        {
            throw JwkError("the EC key is not valid for curve " + curve.Name, e);
        }
    }

    /// <inheritdoc />
    public override string KeyType => "EC";

    /// <inheritdoc />
    public override string? Curve => _curve.Name;

    /// <inheritdoc />
    public override bool HasPrivateKey => _d is not null;

    /// <inheritdoc />
    public override string DefaultAlgorithm => _curve.Algorithm;

    /// <summary>A new platform key with the same parameters; the caller disposes it.</summary>
    public ECDsa CreateEcdsa()
    {
        var copy = ECDsa.Create();
        copy.ImportParameters(_key.ExportParameters(HasPrivateKey));
        return copy;
    }

    /// <summary>Reads <c>crv, x, y[, d]</c> from a JWK object.</summary>
    public static EcJwkKey Read(JsonElement jwk)
    {
        if (!JoseJson.TryGetString(jwk, "crv", out var crv) || crv is null)
        {
            throw JwkError("EC member 'crv' is missing or not a string");
        }
        var curve = Array.Find(Curves, c => c.Name == crv) ?? throw JwkError($"unsupported EC curve '{crv}'");
        var x = ReadBytes(jwk, "x", required: true)!;
        var y = ReadBytes(jwk, "y", required: true)!;
        var d = ReadBytes(jwk, "d", required: false);
        // RFC 7518 §6.2.1.2/§6.2.1.3/§6.2.2.1: full-length octet strings.
        if (x.Length != curve.Size || y.Length != curve.Size || (d is not null && d.Length != curve.Size))
        {
            throw JwkError($"EC coordinates must be {curve.Size} bytes for {curve.Name}");
        }
        return new EcJwkKey(curve, x, y, d);
    }

    /// <summary>Copies a platform key (public, or private when asked).</summary>
    public static EcJwkKey From(ECDsa key, bool includePrivateKey)
    {
        var parameters = key.ExportParameters(includePrivateKey);
        var oid = parameters.Curve.Oid;
        var curve = Array.Find(Curves, c => c.Oid == oid?.Value || c.Platform.Oid.FriendlyName == oid?.FriendlyName)
            ?? throw JwkError("only the P-256, P-384 and P-521 curves are supported");
        return new EcJwkKey(curve, parameters.Q.X!, parameters.Q.Y!, includePrivateKey ? parameters.D : null);
    }

    /// <summary>A fresh key pair on the curve of the given JWS algorithm.</summary>
    public static EcJwkKey Generate(string algorithm)
    {
        var curve = Array.Find(Curves, c => c.Algorithm == algorithm) ?? throw new ArgumentException("not an ECDSA algorithm: " + algorithm);
        using var key = ECDsa.Create(curve.Platform);
        return From(key, includePrivateKey: true);
    }

    /// <inheritdoc />
    public override bool Supports(string algorithm) => algorithm == _curve.Algorithm;

    /// <inheritdoc />
    public override string ThumbprintInput() =>
        $"{{\"crv\":\"{_curve.Name}\",\"kty\":\"EC\",\"x\":\"{Base64UrlCodec.Encode(_x)}\",\"y\":\"{Base64UrlCodec.Encode(_y)}\"}}";

    /// <inheritdoc />
    public override void WriteKeyMembers(Utf8JsonWriter writer, bool includePrivate)
    {
        WriteBytes(writer, "x", _x);
        WriteBytes(writer, "y", _y);
        if (includePrivate && _d is not null)
        {
            WriteBytes(writer, "d", _d);
        }
    }

    /// <inheritdoc />
    public override JwkKeyMaterial ToPublic() => _d is null ? this : new EcJwkKey(_curve, _x, _y, null);

    /// <inheritdoc />
    public override bool Verify(string algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature) =>
        // RFC 7518 §3.4: R || S, each exactly the coordinate size (go-jose checks the same).
        signature.Length == 2 * _curve.Size
        && (_verifier.Value is { } verifier
            ? verifier.Verify(signingInput, signature, _curve.Size, _curve.Hash)
            : _key.VerifyData(signingInput, signature, _curve.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <inheritdoc />
    public override byte[] Sign(string algorithm, ReadOnlySpan<byte> signingInput) =>
        _key.SignData(signingInput, _curve.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    private sealed record EcCurve(string Name, string Oid, ECCurve Platform, int Size, string Algorithm, HashAlgorithmName Hash, int Nid);
}
