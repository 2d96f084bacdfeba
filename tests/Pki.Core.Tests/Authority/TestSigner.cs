using System.Formats.Asn1;
using System.Security.Cryptography;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Tests.Authority;

/// <summary>A P-256 signer for tests of Core alone (the real signers live in Pki.Kms).</summary>
internal sealed class TestSigner : ICertificateSigner, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestSigner()
    {
        SubjectPublicKeyInfo = _key.ExportSubjectPublicKeyInfo();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.10045.4.3.2");
        }
        SignatureAlgorithmIdentifier = writer.Encode();
    }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    public KeyAlgorithm Algorithm => KeyAlgorithm.EcdsaP256;

    public ReadOnlyMemory<byte> SignatureAlgorithmIdentifier { get; }

    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_key.SignData(data.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public void Dispose() => _key.Dispose();
}
