using System.Globalization;
using System.Text;

namespace Smallstep.Pki.Storage.Query.Export;

/// <summary>CSV (RFC 4180): a header row, then one row per certificate, CRLF line ends, UTF-8 without BOM.</summary>
internal sealed class CsvRowWriter(bool includePem) : ICertificateRowWriter
{
    private static readonly string[] Columns =
    [
        "kind", "serial", "subject", "sans", "issuer", "not_before", "not_after", "provisioner", "provisioner_id",
        "provisioner_type", "revoked", "revocation_reason_code", "revocation_reason", "revoked_at", "fingerprint", "ssh_type",
    ];

    private readonly StringBuilder _line = new(512);

    /// <inheritdoc />
    public void WriteStart(Stream output)
    {
        _line.Clear().AppendJoin(',', Columns);
        if (includePem)
        {
            _line.Append(",pem");
        }
        Flush(output);
    }

    /// <inheritdoc />
    public void Write(Stream output, CertificateRecord certificate)
    {
        var revocation = certificate.Revocation;
        _line.Clear()
            .Append(ExportRecord.Kind(certificate)).Append(',')
            .Append(CsvCell.Text(certificate.Serial)).Append(',')
            .Append(CsvCell.Text(certificate.Subject)).Append(',')
            .Append(CsvCell.Text(ExportRecord.JoinNames(certificate.Names))).Append(',')
            .Append(CsvCell.Text(certificate.Issuer ?? "")).Append(',')
            .Append(ExportRecord.Time(certificate.NotBefore)).Append(',')
            .Append(ExportRecord.Time(certificate.NotAfter)).Append(',')
            .Append(CsvCell.Text(certificate.Provisioner?.Name ?? "")).Append(',')
            .Append(CsvCell.Text(certificate.Provisioner?.Id ?? "")).Append(',')
            .Append(CsvCell.Text(certificate.Provisioner?.Type ?? "")).Append(',')
            .Append(certificate.Revoked ? "true" : "false").Append(',')
            .Append(revocation is null ? "" : revocation.ReasonCode.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(CsvCell.Text(revocation?.Reason ?? "")).Append(',')
            .Append(revocation is null || revocation.RevokedAt == DateTimeOffset.MinValue ? "" : ExportRecord.Time(revocation.RevokedAt)).Append(',')
            .Append(certificate.Fingerprint).Append(',')
            .Append(certificate.SshCertificateType ?? "");
        if (includePem)
        {
            _line.Append(',').Append(CsvCell.Quoted(ExportRecord.Pem(certificate)));
        }
        Flush(output);
    }

    private void Flush(Stream output)
    {
        _line.Append("\r\n");
        output.Write(Encoding.UTF8.GetBytes(_line.ToString()));
    }
}
