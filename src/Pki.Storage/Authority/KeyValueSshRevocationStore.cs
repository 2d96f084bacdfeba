using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance.Recording;

namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// <see cref="ISshRevocationStore"/> over step-ca's <c>revoked_ssh_certs</c> table (serial →
/// <c>RevokedCertificateInfo</c> JSON, the encoding of <c>revoked_x509_certs</c>), inserted with
/// compare-and-swap against "absent" like step-ca's <c>RevokeSSH</c> (certificates db/db.go), in
/// the same key-value batch as the burned token. Thread-safe.
/// </summary>
/// <param name="store">The key-value store; its <see cref="StepTables.Authority"/> tables must exist.</param>
public sealed class KeyValueSshRevocationStore(IKeyValueStore store) : ISshRevocationStore
{
    private readonly IKeyValueStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly KeyValueIssuanceRecorder _recorder = new(store);

    /// <inheritdoc />
    /// <exception cref="PkiException">Also BadRequest when <see cref="RevocationRecord.Serial"/> is not a decimal number.</exception>
    public async ValueTask RevokeAsync(RevocationRecord record, IReadOnlyList<IRecordingStep> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(steps);
        var revocation = new RevocationRow(record);
        // A used token is refused before an existing revocation, as step-ca burns the token first.
        await _recorder.CheckAsync([.. steps, revocation], cancellationToken).ConfigureAwait(false);
        await _recorder.RecordAsync([], [.. steps, revocation], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsRevokedAsync(string serialDecimal, CancellationToken cancellationToken = default) =>
        await _store.GetAsync(StepTables.RevokedSshCerts, StorageKeys.DecimalSerial(serialDecimal), cancellationToken).ConfigureAwait(false) is not null;

    // The revocation row as the last step of the batch: its insert-if-absent is its condition.
    private sealed class RevocationRow(RevocationRecord record) : IRecordingStep
    {
        public IReadOnlyList<KeyValueOperation> Writes { get; } =
            [KeyValueOperation.CompareAndSwap(StepTables.RevokedSshCerts, StorageKeys.DecimalSerial(record.Serial), null, RevocationRecordJson.Encode(record))];

        public PkiException Conflict() => PkiException.BadRequest($"certificate with serial number '{record.Serial}' is already revoked");
    }
}
