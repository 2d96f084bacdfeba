using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Bench.Modes;

/// <summary>
/// Presents the issuing key's public half but returns a constant signature, so
/// <c>X509Issuer.IssueAsync</c> can be timed without the signature (the TBS is built, linted and
/// assembled exactly as in production).
/// </summary>
internal sealed class FixedSignatureSigner(ICertificateSigner real) : ICertificateSigner
{
    // A DER Ecdsa-Sig-Value of P-256 size: SEQUENCE { INTEGER(32), INTEGER(32) }.
    private static readonly byte[] Signature = [0x30, 0x44, 0x02, 0x20, .. new byte[32].Select(_ => (byte)0x11), 0x02, 0x20, .. new byte[32].Select(_ => (byte)0x22)];

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => real.SubjectPublicKeyInfo;

    public KeyAlgorithm Algorithm => real.Algorithm;

    public ReadOnlyMemory<byte> SignatureAlgorithmIdentifier => real.SignatureAlgorithmIdentifier;

    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => ValueTask.FromResult(Signature);
}
