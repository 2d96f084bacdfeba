using System.Security.Cryptography;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Tests.SshPop;

/// <summary>An SSH CA key the authority does not know (EC P-256 in memory), to sign certificates it must not accept.</summary>
internal sealed class ForeignSshCa : ICertificateSigner, IDisposable
{
    // AlgorithmIdentifier ecdsa-with-SHA256 (RFC 5758 §3.2).
    private static readonly byte[] EcdsaWithSha256 = [0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _key.ExportSubjectPublicKeyInfo();

    public KeyAlgorithm Algorithm => KeyAlgorithm.EcdsaP256;

    public ReadOnlyMemory<byte> SignatureAlgorithmIdentifier => EcdsaWithSha256;

    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_key.SignData(data.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public void Dispose() => _key.Dispose();
}
