using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage.Authority;
namespace Smallstep.Pki.Storage.Query;

/// <summary>
/// Lists and searches the certificates in step-ca's tables, streaming: rows are read in key order
/// in pages (<see cref="IKeyValueStore.ScanAsync"/>), joined with their metadata and revocation rows
/// by walking those tables alongside (no point read per row, nothing accumulated), and decoded only
/// as far as the filters need. X.509 certificates come first, then SSH certificates, each in
/// serial-key byte order. Thread-safe; each enumeration is independent.
/// </summary>
/// <param name="store">A store with step-ca's authority tables (<see cref="StepTables.Authority"/>).</param>
/// <param name="unreadable">Told about each certificate row that cannot be decoded (it is skipped); may be null.</param>
public sealed class CertificateRecordReader(IKeyValueStore store, Action<UnreadableRow>? unreadable = null)
{
    private readonly IKeyValueStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>The certificates matching <paramref name="query"/>.</summary>
    /// <exception cref="PkiException">Kind BadRequest: a serial filter is not decimal digits. Storage failures as the store reports them.</exception>
    public async IAsyncEnumerable<CertificateRecord> ReadAsync(CertificateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckDigits(query.Serial, "serial");
        CheckDigits(query.SerialPrefix, "serial prefix");
        var range = KeyRange.For(query);
        if (query.Includes(CertificateKind.X509))
        {
            await foreach (var certificate in X509Async(query, range, cancellationToken).ConfigureAwait(false))
            {
                yield return certificate;
            }
        }
        if (query.Includes(CertificateKind.Ssh))
        {
            await foreach (var certificate in SshAsync(query, range, cancellationToken).ConfigureAwait(false))
            {
                yield return certificate;
            }
        }
    }

    private async IAsyncEnumerable<CertificateRecord> X509Async(CertificateQuery query, KeyRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var revocations = range.LookupIn(_store, StepTables.RevokedX509Certs, cancellationToken);
        await using var metadata = range.LookupIn(_store, StepTables.X509CertsData, cancellationToken);
        await foreach (var row in range.RowsAsync(_store, StepTables.X509Certs, cancellationToken).ConfigureAwait(false))
        {
            var serial = KeyText(row.Key);
            var revocation = await revocations.FindAsync(row.Key).ConfigureAwait(false);
            if (query.Revoked is { } revoked && revoked != revocation is not null)
            {
                continue;
            }
            var data = await metadata.FindAsync(row.Key).ConfigureAwait(false);
            if (Decode(row, StepTables.X509Certs, serial, static der => X509CertificateFields.Parse(der)) is not { } fields
                || !query.MatchesValidity(fields.NotBefore, fields.NotAfter))
            {
                continue;
            }
            string subject;
            IReadOnlyList<string> names;
            ProvisionerReference? provisioner;
            try
            {
                subject = fields.Subject;
                names = fields.SubjectAlternativeNames();
                provisioner = Provisioner(data, serial) ?? fields.ProvisionerExtension();
            }
            catch (FormatException ex)
            {
                unreadable?.Invoke(new UnreadableRow(StepTables.X509Certs, serial, ex.Message));
                continue;
            }
            if (!query.MatchesText(subject, names) || !query.MatchesProvisioner(provisioner))
            {
                continue;
            }
            yield return new CertificateRecord
            {
                Kind = CertificateKind.X509,
                Serial = serial,
                Subject = subject,
                Names = names,
                Issuer = SafeIssuer(fields),
                NotBefore = fields.NotBefore,
                NotAfter = fields.NotAfter,
                Provisioner = provisioner,
                Revoked = revocation is not null,
                Revocation = Revocation(revocation, serial),
                Fingerprint = Convert.ToHexStringLower(SHA256.HashData(row.Value)),
                Encoded = row.Value,
            };
        }
    }

    private async IAsyncEnumerable<CertificateRecord> SshAsync(CertificateQuery query, KeyRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var revocations = range.LookupIn(_store, StepTables.RevokedSshCerts, cancellationToken);
        await foreach (var row in range.RowsAsync(_store, StepTables.SshCerts, cancellationToken).ConfigureAwait(false))
        {
            var serial = KeyText(row.Key);
            var revocation = await revocations.FindAsync(row.Key).ConfigureAwait(false);
            if (query.Revoked is { } revoked && revoked != revocation is not null)
            {
                continue;
            }
            if (Decode(row, StepTables.SshCerts, serial, static blob => SshCertificateFields.Parse(blob.Span)) is not { } fields
                || !query.MatchesValidity(fields.NotBefore, fields.NotAfter)
                || !query.MatchesText(fields.KeyId, fields.Principals))
            {
                continue;
            }
            yield return new CertificateRecord
            {
                Kind = CertificateKind.Ssh,
                Serial = serial,
                Subject = fields.KeyId,
                Names = fields.Principals,
                NotBefore = fields.NotBefore,
                NotAfter = fields.NotAfter,
                SshCertificateType = fields.CertificateType,
                Revoked = revocation is not null,
                Revocation = Revocation(revocation, serial),
                Fingerprint = fields.Fingerprint,
                Encoded = row.Value,
            };
        }
    }

    private T? Decode<T>(KeyValueEntry row, string table, string serial, Func<ReadOnlyMemory<byte>, T> parse)
        where T : class
    {
        try
        {
            return parse(row.Value);
        }
        catch (FormatException ex)
        {
            unreadable?.Invoke(new UnreadableRow(table, serial, ex.Message));
            return null;
        }
    }

    private static string? SafeIssuer(X509CertificateFields fields)
    {
        try
        {
            return fields.Issuer;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // A malformed metadata row means "provisioner unknown", not an unreadable certificate.
    private static ProvisionerReference? Provisioner(byte[]? data, string serial)
    {
        try
        {
            return data is null ? null : CertificateMetadataJson.Decode(data, serial).Provisioner;
        }
        catch (PkiException)
        {
            return null;
        }
    }

    private static RevocationRecord? Revocation(byte[]? row, string serial)
    {
        try
        {
            return row is null ? null : RevocationRecordJson.Decode(row, serial);
        }
        catch (PkiException)
        {
            return null;
        }
    }

    /// <summary>A key as text: step-ca's keys are ASCII serials; anything else is shown in hex.</summary>
    internal static string KeyText(byte[] key) =>
        key.All(b => b is >= 0x21 and < 0x7F) ? Encoding.ASCII.GetString(key) : "0x" + Convert.ToHexString(key);

    private static void CheckDigits(string? serial, string what)
    {
        if (serial is not null && (serial.Length is 0 or > 255 || !serial.All(char.IsAsciiDigit)))
        {
            throw PkiException.BadRequest($"{what} must be decimal digits (at most 255)");
        }
    }
}
