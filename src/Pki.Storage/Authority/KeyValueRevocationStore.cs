namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// <see cref="IRevocationStore"/> over step-ca's <c>revoked_x509_certs</c> table (decimal serial →
/// <c>RevokedCertificateInfo</c> JSON), inserted with compare-and-swap against "absent" like step-ca's
/// <c>Revoke</c> (certificates db/db.go), so a serial is revoked at most once even across nodes.
/// Thread-safe.
/// </summary>
/// <param name="store">The key-value store; its <see cref="StepTables.Authority"/> tables must exist.</param>
public sealed class KeyValueRevocationStore(IKeyValueStore store) : IRevocationStore
{
    private readonly IKeyValueStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    /// <exception cref="Errors.PkiException">Kind BadRequest: <see cref="RevocationRecord.Serial"/> is not a decimal number.</exception>
    public async ValueTask<bool> TryRevokeAsync(RevocationRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = StorageKeys.DecimalSerial(record.Serial);
        var result = await _store.CompareAndSwapAsync(StepTables.RevokedX509Certs, key, null, RevocationRecordJson.Encode(record), cancellationToken).ConfigureAwait(false);
        return result.Swapped;
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsRevokedAsync(string serialDecimal, CancellationToken cancellationToken = default) =>
        await _store.GetAsync(StepTables.RevokedX509Certs, StorageKeys.DecimalSerial(serialDecimal), cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    /// <exception cref="Errors.PkiException">Kind Internal: the stored row is not valid JSON of that shape.</exception>
    public async ValueTask<RevocationRecord?> GetAsync(string serialDecimal, CancellationToken cancellationToken = default)
    {
        var row = await _store.GetAsync(StepTables.RevokedX509Certs, StorageKeys.DecimalSerial(serialDecimal), cancellationToken).ConfigureAwait(false);
        return row is null ? null : RevocationRecordJson.Decode(row, serialDecimal);
    }
}
