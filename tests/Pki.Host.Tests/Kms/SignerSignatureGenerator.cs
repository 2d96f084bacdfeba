using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Tests.Host.Kms;

/// <summary>Lets .NET's <see cref="CertificateRequest"/> sign with any <see cref="ICertificateSigner"/> (the fixture root's soft key).</summary>
internal sealed class SignerSignatureGenerator(ICertificateSigner signer) : X509SignatureGenerator
{
    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => signer.SignatureAlgorithmIdentifier.ToArray();

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => signer.SignAsync(data).AsTask().GetAwaiter().GetResult();

    protected override PublicKey BuildPublicKey() => PublicKey.CreateFromSubjectPublicKeyInfo(signer.SubjectPublicKeyInfo.Span, out _);
}
