using System.Security.Cryptography;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Kms.Soft.Signing;

/// <summary>
/// ECDSA on P-256/P-384/P-521 through <see cref="ECDsa"/> (OpenSSL underneath). The hash follows
/// the curve as in step (go.step.sm/crypto x509util): SHA-256, SHA-384, SHA-512. Signatures are
/// DER <c>Ecdsa-Sig-Value</c> (RFC 3279 §2.2.3).
/// </summary>
internal sealed class EcdsaSoftSigner : SoftSigner
{
    private readonly KeyPool<ECDsa> _pool;
    private readonly HashAlgorithmName _hash;
    private readonly byte[] _spki;
    private readonly byte[] _algorithmIdentifier;
    private ECParameters _parameters;

    private EcdsaSoftSigner(ECDsa key, KeyAlgorithm algorithm)
    {
        Algorithm = algorithm;
        (_hash, _algorithmIdentifier) = algorithm == KeyAlgorithm.EcdsaP256 ? (HashAlgorithmName.SHA256, SignatureAlgorithmIdentifiers.EcdsaWithSha256)
            : algorithm == KeyAlgorithm.EcdsaP384 ? (HashAlgorithmName.SHA384, SignatureAlgorithmIdentifiers.EcdsaWithSha384)
            : (HashAlgorithmName.SHA512, SignatureAlgorithmIdentifiers.EcdsaWithSha512);
        _spki = key.ExportSubjectPublicKeyInfo();
        _parameters = key.ExportParameters(includePrivateParameters: true);
        _pool = new KeyPool<ECDsa>(key, () => ECDsa.Create(_parameters));
    }

    public override KeyAlgorithm Algorithm { get; }

    public override ReadOnlyMemory<byte> SubjectPublicKeyInfo => _spki;

    public override ReadOnlyMemory<byte> SignatureAlgorithmIdentifier => _algorithmIdentifier;

    public override string PemType => "EC PRIVATE KEY";

    /// <summary>Takes ownership of <paramref name="key"/> after checking its curve.</summary>
    public static EcdsaSoftSigner Create(ECDsa key)
    {
        try
        {
            return new EcdsaSoftSigner(key, CurveOf(key));
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static EcdsaSoftSigner Generate(KeyAlgorithm algorithm) => Create(ECDsa.Create(
        algorithm == KeyAlgorithm.EcdsaP256 ? ECCurve.NamedCurves.nistP256
        : algorithm == KeyAlgorithm.EcdsaP384 ? ECCurve.NamedCurves.nistP384
        : ECCurve.NamedCurves.nistP521));

    protected override byte[] Sign(ReadOnlySpan<byte> data)
    {
        using var lease = _pool.Rent();
        return lease.Key.SignData(data, _hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    public override byte[] ExportPrivateKey()
    {
        using var lease = _pool.Rent();
        return lease.Key.ExportECPrivateKey();
    }

    protected override void DisposeKey()
    {
        _pool.Dispose();
        CryptographicOperations.ZeroMemory(_parameters.D);
    }

    private static KeyAlgorithm CurveOf(ECDsa key)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        if (!curve.IsNamed)
        {
            throw new KeyFormatException("EC keys with explicit curve parameters are not supported; use a named curve (P-256, P-384, P-521)");
        }
        return curve.Oid.Value switch
        {
            "1.2.840.10045.3.1.7" => KeyAlgorithm.EcdsaP256,
            "1.3.132.0.34" => KeyAlgorithm.EcdsaP384,
            "1.3.132.0.35" => KeyAlgorithm.EcdsaP521,
            _ => throw new KeyFormatException($"unsupported EC curve {curve.Oid.Value ?? curve.Oid.FriendlyName} (supported: P-256, P-384, P-521)"),
        };
    }
}
