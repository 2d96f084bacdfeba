using System.Text;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Storage.Query;
using Smallstep.Pki.Storage.Acme;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Removes ACME's own copies of certificates (<c>acme_certs</c>: ID → leaf and intermediates as
/// base64 of PEM) whose leaf expired before the cutoff, with the <c>acme_serial_certs_index</c> row
/// that points to them. As for <c>x509_certs</c>, revoked certificates are kept, and rows that cannot
/// be decoded stay.
/// </summary>
internal sealed class AcmeCertificateRule : IPruneRule
{
    /// <inheritdoc />
    public async Task RunAsync(PruneContext context)
    {
        if (!context.Has(AcmeTables.Certificates))
        {
            return;
        }
        var index = context.Has(AcmeTables.SerialCertificatesIndex);
        await foreach (var row in context.Store.ScanAsync(AcmeTables.Certificates, null, context.CancellationToken).ConfigureAwait(false))
        {
            if (Leaf(row.Value) is not { } leaf)
            {
                context.Keep("unreadable acme_certs rows");
                continue;
            }
            if (leaf.NotAfter >= context.Cutoff)
            {
                continue;
            }
            var serial = PruneContext.Key(leaf.SerialDecimal);
            if (context.Has(StepTables.RevokedX509Certs) && await context.Store.GetAsync(StepTables.RevokedX509Certs, serial, context.CancellationToken).ConfigureAwait(false) is not null)
            {
                context.Keep($"expired but revoked ({AcmeTables.Certificates})");
                continue;
            }
            await context.DeleteAsync(AcmeTables.Certificates, row.Key).ConfigureAwait(false);
            if (index && await context.Store.GetAsync(AcmeTables.SerialCertificatesIndex, serial, context.CancellationToken).ConfigureAwait(false) is { } entry
                && AcmeRow.Parse(entry)?.String("certificateID") == PruneContext.Text(row.Key))
            {
                await context.DeleteAsync(AcmeTables.SerialCertificatesIndex, serial).ConfigureAwait(false);
            }
        }
        await context.FlushAsync().ConfigureAwait(false);
    }

    // "leaf" is a Go []byte, i.e. standard base64 of the PEM text.
    private static X509CertificateFields? Leaf(byte[] value)
    {
        try
        {
            if (AcmeRow.Parse(value)?.String("leaf") is not { } leaf)
            {
                return null;
            }
            var pem = Encoding.ASCII.GetString(Convert.FromBase64String(leaf));
            var fields = System.Security.Cryptography.PemEncoding.Find(pem);
            return X509CertificateFields.Parse(Convert.FromBase64String(pem[fields.Base64Data]));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return null;
        }
    }
}
