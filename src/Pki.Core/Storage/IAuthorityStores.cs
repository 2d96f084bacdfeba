namespace Smallstep.Pki.Storage;

/// <summary>
/// Issued X.509 certificates (tables <c>x509_certs</c> and <c>x509_certs_data</c>), both rows
/// written in one transaction as step-ca's <c>StoreCertificateChain</c> does, together with the
/// plan's recording steps. Thread-safe; every method is atomic.
/// </summary>
public interface ICertificateStore : IIssuanceStore<StoredCertificate>
{
    /// <summary>Returns the DER of the certificate with this decimal serial, or null.</summary>
    ValueTask<byte[]?> GetDerAsync(string serialDecimal, CancellationToken cancellationToken = default);

    /// <summary>Returns the metadata row of this decimal serial, or null (e.g. renewed by step-ca 0.19).</summary>
    ValueTask<CertificateMetadata?> GetMetadataAsync(string serialDecimal, CancellationToken cancellationToken = default);
}

/// <summary>A certificate to store.</summary>
/// <param name="SerialDecimal">The serial as a decimal string (step-ca's key).</param>
/// <param name="Der">The leaf DER.</param>
/// <param name="Metadata">The <c>x509_certs_data</c> row; null writes no metadata row.</param>
public sealed record StoredCertificate(string SerialDecimal, byte[] Der, CertificateMetadata? Metadata);

/// <summary>The <c>x509_certs_data</c> JSON: which provisioner issued a certificate.</summary>
/// <param name="Provisioner">The issuing provisioner, or null.</param>
/// <param name="RegistrationAuthority">RA information (<c>ra</c>), or null.</param>
public sealed record CertificateMetadata(ProvisionerReference? Provisioner, RegistrationAuthorityInfo? RegistrationAuthority = null);

/// <summary><c>{"id","name","type"}</c> of the issuing provisioner.</summary>
public sealed record ProvisionerReference(string Id, string Name, string Type);

/// <summary>The <c>ra</c> object of <c>x509_certs_data</c>.</summary>
public sealed record RegistrationAuthorityInfo(string? AuthorityId, string? EndpointId, string? ProvisionerId, string? ProvisionerType, string? ProvisionerName);

/// <summary>Revoked X.509 certificates (<c>revoked_x509_certs</c>). Thread-safe.</summary>
public interface IRevocationStore
{
    /// <summary>Records a revocation if the serial is not revoked yet (insert-if-absent).
    /// Returns false when it was already revoked.</summary>
    ValueTask<bool> TryRevokeAsync(RevocationRecord record, CancellationToken cancellationToken = default);

    /// <summary>Whether this decimal serial is revoked.</summary>
    ValueTask<bool> IsRevokedAsync(string serialDecimal, CancellationToken cancellationToken = default);

    /// <summary>Returns the revocation of this decimal serial, or null.</summary>
    ValueTask<RevocationRecord?> GetAsync(string serialDecimal, CancellationToken cancellationToken = default);
}

/// <summary>
/// step-ca's <c>RevokedCertificateInfo</c>, stored as JSON with Go field names:
/// <c>{"Serial","ProvisionerID","ReasonCode","Reason","RevokedAt","ExpiresAt","TokenID","MTLS","ACME"}</c>.
/// </summary>
public sealed record RevocationRecord(
    string Serial,
    string ProvisionerId,
    int ReasonCode,
    string Reason,
    DateTimeOffset RevokedAt,
    DateTimeOffset ExpiresAt,
    string TokenId,
    bool Mtls,
    bool Acme);

/// <summary>
/// One-time-token replay protection (<c>used_ott</c>). Survives restarts and is shared by every
/// node on the same database. Thread-safe.
/// </summary>
public interface ITokenReplayStore
{
    /// <summary>
    /// Records <paramref name="replayKey"/> as used with insert-if-absent semantics. Returns true the
    /// first time, false for every later call with the same key, even concurrently or on another node.
    /// </summary>
    ValueTask<bool> TryUseAsync(string replayKey, string token, CancellationToken cancellationToken = default);

    /// <summary>Whether the replay key is already recorded (a read; the writes decide atomically).</summary>
    ValueTask<bool> IsUsedAsync(string replayKey, CancellationToken cancellationToken = default);
}
