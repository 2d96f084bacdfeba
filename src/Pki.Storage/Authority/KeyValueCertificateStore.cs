namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// <see cref="ICertificateStore"/> over step-ca's tables: <c>x509_certs</c> (decimal serial → DER)
/// and <c>x509_certs_data</c> (decimal serial → <c>{"provisioner":{...},"ra":{...}}</c>), written in
/// one batch like step-ca's <c>StoreCertificateChain</c> (certificates db/db.go). Thread-safe.
/// </summary>
/// <param name="store">The key-value store; its <see cref="StepTables.Authority"/> tables must exist.</param>
public sealed class KeyValueCertificateStore(IKeyValueStore store) : ICertificateStore
{
    private readonly IKeyValueStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    /// <exception cref="Errors.PkiException">Kind BadRequest: the serial is not a decimal number.</exception>
    public async ValueTask StoreAsync(StoredCertificate certificate, CancellationToken cancellationToken = default) =>
        await _store.ApplyAsync(CertificateWrites(certificate), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <exception cref="Errors.PkiException">Kind BadRequest: the serial is not a decimal number or the replay key is too long.</exception>
    public async ValueTask<bool> StoreIssuedAsync(StoredCertificate certificate, string replayKey, string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var burn = KeyValueOperation.CompareAndSwap(StepTables.UsedOtt, StorageKeys.Text(replayKey, "replay key"), null, System.Text.Encoding.UTF8.GetBytes(token));
        var result = await _store.ApplyAsync([burn, .. CertificateWrites(certificate)], cancellationToken).ConfigureAwait(false);
        return result.Committed;
    }

    // StoreCertificateChain: x509_certs (DER) and x509_certs_data (JSON) together.
    private static KeyValueOperation[] CertificateWrites(StoredCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(certificate.Der);
        var key = StorageKeys.DecimalSerial(certificate.SerialDecimal);
        return certificate.Metadata is { } metadata
            ?
            [
                KeyValueOperation.Set(StepTables.X509Certs, key, certificate.Der),
                KeyValueOperation.Set(StepTables.X509CertsData, key, CertificateMetadataJson.Encode(metadata)),
            ]
            : [KeyValueOperation.Set(StepTables.X509Certs, key, certificate.Der)];
    }

    /// <inheritdoc />
    public ValueTask<byte[]?> GetDerAsync(string serialDecimal, CancellationToken cancellationToken = default) =>
        _store.GetAsync(StepTables.X509Certs, StorageKeys.DecimalSerial(serialDecimal), cancellationToken);

    /// <inheritdoc />
    /// <exception cref="Errors.PkiException">Kind Internal: the stored row is not valid JSON of that shape.</exception>
    public async ValueTask<CertificateMetadata?> GetMetadataAsync(string serialDecimal, CancellationToken cancellationToken = default)
    {
        var row = await _store.GetAsync(StepTables.X509CertsData, StorageKeys.DecimalSerial(serialDecimal), cancellationToken).ConfigureAwait(false);
        return row is null ? null : CertificateMetadataJson.Decode(row, serialDecimal);
    }
}
