using Smallstep.Pki.Issuance.Recording;

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
    private readonly KeyValueIssuanceRecorder _recorder = new(store);

    /// <inheritdoc />
    public ValueTask CheckAsync(IReadOnlyList<IRecordingStep> steps, CancellationToken cancellationToken = default) =>
        _recorder.CheckAsync(steps, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="Errors.PkiException">Kind BadRequest: the serial is not a decimal number; a step's conflict when its condition fails.</exception>
    public ValueTask RecordAsync(StoredCertificate record, IReadOnlyList<IRecordingStep> steps, CancellationToken cancellationToken = default) =>
        _recorder.RecordAsync(CertificateWrites(record), steps, cancellationToken, record);

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
