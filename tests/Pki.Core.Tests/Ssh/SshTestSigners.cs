using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>Software CA signers for tests of Core alone, one per key type (the real ones live in Pki.Kms).</summary>
internal abstract class SshTestSigner : ICertificateSigner, IDisposable
{
    protected SshTestSigner(KeyAlgorithm algorithm, byte[] subjectPublicKeyInfo, string signatureOid)
    {
        Algorithm = algorithm;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(signatureOid);
        }

        SignatureAlgorithmIdentifier = writer.Encode();
    }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    public KeyAlgorithm Algorithm { get; }

    public ReadOnlyMemory<byte> SignatureAlgorithmIdentifier { get; }

    public int Signatures { get; private set; }

    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        Signatures++;
        return ValueTask.FromResult(Sign(data.Span));
    }

    public abstract void Dispose();

    protected abstract byte[] Sign(ReadOnlySpan<byte> data);

    public static SshTestSigner Create(string name) => name switch
    {
        "ecdsa-p256" => new Ecdsa(ECCurve.NamedCurves.nistP256, KeyAlgorithm.EcdsaP256, HashAlgorithmName.SHA256, "1.2.840.10045.4.3.2"),
        "ecdsa-p384" => new Ecdsa(ECCurve.NamedCurves.nistP384, KeyAlgorithm.EcdsaP384, HashAlgorithmName.SHA384, "1.2.840.10045.4.3.3"),
        "ecdsa-p521" => new Ecdsa(ECCurve.NamedCurves.nistP521, KeyAlgorithm.EcdsaP521, HashAlgorithmName.SHA512, "1.2.840.10045.4.3.4"),
        "rsa-sha256" => new Rsa(HashAlgorithmName.SHA256, "1.2.840.113549.1.1.11"),
        "rsa-sha512" => new Rsa(HashAlgorithmName.SHA512, "1.2.840.113549.1.1.13"),
        "ed25519" => Ed25519.Create(),
        _ => throw new ArgumentException(name),
    };

    private sealed class Ecdsa : SshTestSigner
    {
        private readonly ECDsa key;
        private readonly HashAlgorithmName hash;

        public Ecdsa(ECCurve curve, KeyAlgorithm algorithm, HashAlgorithmName hash, string oid)
            : this(ECDsa.Create(curve), algorithm, hash, oid)
        {
        }

        private Ecdsa(ECDsa key, KeyAlgorithm algorithm, HashAlgorithmName hash, string oid)
            : base(algorithm, key.ExportSubjectPublicKeyInfo(), oid)
        {
            this.key = key;
            this.hash = hash;
        }

        public override void Dispose() => key.Dispose();

        protected override byte[] Sign(ReadOnlySpan<byte> data) => key.SignData(data, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private sealed class Rsa : SshTestSigner
    {
        private readonly RSA key;
        private readonly HashAlgorithmName hash;

        public Rsa(HashAlgorithmName hash, string oid)
            : this(RSA.Create(2048), hash, oid)
        {
        }

        private Rsa(RSA key, HashAlgorithmName hash, string oid)
            : base(KeyAlgorithm.Rsa, key.ExportSubjectPublicKeyInfo(), oid)
        {
            this.key = key;
            this.hash = hash;
        }

        public override void Dispose() => key.Dispose();

        protected override byte[] Sign(ReadOnlySpan<byte> data) => key.SignData(data.ToArray(), hash, RSASignaturePadding.Pkcs1);
    }

    private sealed class Ed25519 : SshTestSigner
    {
        private readonly Ed25519PrivateKeyParameters key;

        private Ed25519(Ed25519PrivateKeyParameters key)
            : base(KeyAlgorithm.Ed25519, SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.GeneratePublicKey()).GetDerEncoded(), "1.3.101.112") =>
            this.key = key;

        public static Ed25519 Create() => new(new Ed25519PrivateKeyParameters(new SecureRandom()));

        public override void Dispose()
        {
        }

        protected override byte[] Sign(ReadOnlySpan<byte> data)
        {
            var signature = new byte[64];
            key.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, data.ToArray(), 0, data.Length, signature, 0);
            return signature;
        }
    }
}
