using Smallstep.Pki.Issuance;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage.Query;
namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Removes the rows of certificates that expired before the cutoff: <c>x509_certs</c> with its
/// <c>x509_certs_data</c> row, or <c>ssh_certs</c>. Revoked certificates are kept whole, and no
/// revocation row is ever removed: with <c>allowRenewalAfterExpiry</c> step-ca renews expired
/// certificates, and the revocation row is what refuses a revoked one (authority/tls.go
/// <c>Renew</c> → <c>IsRevoked</c>). A row that cannot be decoded is kept.
/// </summary>
internal sealed class ExpiredCertificateRule(string table, string revokedTable, string? metadataTable, Func<ReadOnlyMemory<byte>, DateTimeOffset> notAfter) : IPruneRule
{
    /// <summary>X.509 leaves.</summary>
    public static ExpiredCertificateRule X509 { get; } =
        new(StepTables.X509Certs, StepTables.RevokedX509Certs, StepTables.X509CertsData, static der => X509CertificateFields.Parse(der).NotAfter);

    /// <summary>SSH certificates.</summary>
    public static ExpiredCertificateRule Ssh { get; } =
        new(StepTables.SshCerts, StepTables.RevokedSshCerts, null, static blob => SshCertificateFields.Parse(blob.Span).NotAfter);

    /// <inheritdoc />
    public async Task RunAsync(PruneContext context)
    {
        if (!context.Has(table))
        {
            return;
        }
        await using var revocations = Lookup(context, revokedTable);
        await using var metadata = Lookup(context, metadataTable);
        await foreach (var row in context.Store.ScanAsync(table, null, context.CancellationToken).ConfigureAwait(false))
        {
            DateTimeOffset end;
            try
            {
                end = notAfter(row.Value);
            }
            catch (FormatException)
            {
                context.Keep($"unreadable {table} rows");
                continue;
            }
            if (end >= context.Cutoff)
            {
                continue;
            }
            if (await revocations.FindAsync(row.Key).ConfigureAwait(false) is not null)
            {
                context.Keep($"expired but revoked ({table})");
                continue;
            }
            await context.DeleteAsync(table, row.Key).ConfigureAwait(false);
            // step-ca 0.19 wrote no metadata row on renew.
            if (await metadata.FindAsync(row.Key).ConfigureAwait(false) is not null)
            {
                await context.DeleteAsync(metadataTable!, row.Key).ConfigureAwait(false);
            }
        }
        await context.FlushAsync().ConfigureAwait(false);
    }

    // Walks a side table alongside the certificates; a table that does not exist has no rows.
    private static IRowLookup Lookup(PruneContext context, string? side) =>
        side is not null && context.Has(side) ? OrderedLookup.Over(context.Store, side, context.CancellationToken) : NoRows.Instance;

    private sealed class NoRows : IRowLookup
    {
        public static NoRows Instance { get; } = new();

        public ValueTask<byte[]?> FindAsync(byte[] key) => ValueTask.FromResult<byte[]?>(null);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
