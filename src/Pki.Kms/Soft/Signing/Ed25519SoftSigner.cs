using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Kms.Soft.Signing;

/// <summary>
/// Ed25519 (RFC 8032 §5.1) through BouncyCastle, as .NET has no Ed25519. It calls
/// <see cref="Ed25519PrivateKeyParameters.Sign(Ed25519.Algorithm, byte[], ReadOnlySpan{byte}, Span{byte})"/>
/// directly: that method keeps no per-call state (unlike <c>Ed25519Signer</c>, which buffers the
/// message), so one key object serves all threads without locking or copying the message.
/// </summary>
internal sealed class Ed25519SoftSigner : SoftSigner
{
    private readonly Ed25519PrivateKeyParameters _key;
    private readonly byte[] _spki;

    private Ed25519SoftSigner(Ed25519PrivateKeyParameters key)
    {
        _key = key;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(SignatureAlgorithmIdentifiers.Ed25519Oid);
            }
            writer.WriteBitString(key.GeneratePublicKey().GetEncoded());
        }
        _spki = writer.Encode();
    }

    public override KeyAlgorithm Algorithm => KeyAlgorithm.Ed25519;

    public override ReadOnlyMemory<byte> SubjectPublicKeyInfo => _spki;

    public override ReadOnlyMemory<byte> SignatureAlgorithmIdentifier => SignatureAlgorithmIdentifiers.Ed25519;

    public override string PemType => "PRIVATE KEY";

    /// <summary>The 32-byte public key (RFC 8032 §5.1.5).</summary>
    public byte[] PublicKey => _key.GeneratePublicKey().GetEncoded();

    /// <summary>Creates a signer from the 32-byte private key (the RFC 8032 seed).</summary>
    public static Ed25519SoftSigner FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519PrivateKeyParameters.KeySize)
        {
            throw new KeyFormatException($"Ed25519 private key must be {Ed25519PrivateKeyParameters.KeySize} bytes, got {seed.Length}");
        }
        return new Ed25519SoftSigner(new Ed25519PrivateKeyParameters(seed));
    }

    public static Ed25519SoftSigner Generate()
    {
        Span<byte> seed = stackalloc byte[Ed25519PrivateKeyParameters.KeySize];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    protected override byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signature = new byte[Ed25519PrivateKeyParameters.SignatureSize];
        _key.Sign(Ed25519.Algorithm.Ed25519, null, data, signature);
        return signature;
    }

    /// <summary>A version 1 <c>OneAsymmetricKey</c> (RFC 8410 §7), as Go's MarshalPKCS8PrivateKey writes.</summary>
    public override byte[] ExportPrivateKey()
    {
        var seed = _key.GetEncoded();
        var inner = new AsnWriter(AsnEncodingRules.DER);
        inner.WriteOctetString(seed);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(SignatureAlgorithmIdentifiers.Ed25519Oid);
            }
            writer.WriteOctetString(inner.Encode());
        }
        CryptographicOperations.ZeroMemory(seed);
        return writer.Encode();
    }

    protected override void DisposeKey()
    {
        // BouncyCastle keeps the key in a private array it does not let us clear.
    }
}
