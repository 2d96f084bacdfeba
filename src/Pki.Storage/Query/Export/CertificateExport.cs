namespace Smallstep.Pki.Storage.Query.Export;

/// <summary>
/// Writes certificates as CSV or JSON Lines while they are read: each row is encoded and handed to a
/// buffered stream as soon as it arrives, so an export of any size uses the memory of one page of
/// rows, not of the whole result.
/// </summary>
public static class CertificateExport
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Writes every certificate of <paramref name="certificates"/> to <paramref name="output"/> and flushes it; the stream stays open.</summary>
    /// <returns>The number of certificates written.</returns>
    public static async Task<long> WriteAsync(IAsyncEnumerable<CertificateRecord> certificates, Stream output, CertificateExportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        ICertificateRowWriter rows = options.Format switch
        {
            CertificateExportFormat.Csv => new CsvRowWriter(options.IncludePem),
            CertificateExportFormat.JsonLines => new JsonLinesRowWriter(options.IncludePem),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "unknown export format"),
        };
        // Not disposed: that would close the caller's stream (e.g. stdout).
        var buffered = new BufferedStream(output, BufferSize);
        rows.WriteStart(buffered);
        long count = 0;
        await foreach (var certificate in certificates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            rows.Write(buffered, certificate);
            count++;
        }
        await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }
}
