using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Kms.Soft.Signing;

/// <summary>
/// A software private key that signs in-process. Signing is synchronous CPU work, so
/// <see cref="SignAsync"/> completes synchronously. Thread-safe; after <see cref="Dispose"/>
/// signing throws <see cref="ObjectDisposedException"/>.
/// </summary>
internal abstract class SoftSigner : ICertificateSigner, IDisposable
{
    private volatile bool _disposed;

    public abstract ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    public abstract KeyAlgorithm Algorithm { get; }

    public abstract ReadOnlyMemory<byte> SignatureAlgorithmIdentifier { get; }

    /// <summary>The PEM label of <see cref="ExportPrivateKey"/>'s output.</summary>
    public abstract string PemType { get; }

    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ValueTask.FromResult(Sign(data.Span));
    }

    /// <summary>
    /// The private key in the encoding step writes for this key type: SEC1 for EC (RFC 5915),
    /// PKCS#1 for RSA (RFC 8017 A.1.2), PKCS#8 for Ed25519 (RFC 8410 §7).
    /// </summary>
    public abstract byte[] ExportPrivateKey();

    public void Dispose()
    {
        _disposed = true;
        DisposeKey();
    }

    /// <summary>Signs <paramref name="data"/> in the format <see cref="ICertificateSigner.SignAsync"/> documents.</summary>
    protected abstract byte[] Sign(ReadOnlySpan<byte> data);

    /// <summary>Releases the key objects.</summary>
    protected abstract void DisposeKey();
}
