namespace Smallstep.Pki.Storage.Query.Export;

/// <summary>The file formats <see cref="CertificateExport"/> writes.</summary>
public enum CertificateExportFormat
{
    /// <summary>RFC 4180 CSV with a header row, CRLF line ends, UTF-8 without BOM.</summary>
    Csv,

    /// <summary>JSON Lines: one JSON object per certificate, LF line ends, UTF-8.</summary>
    JsonLines,
}

/// <summary>How <see cref="CertificateExport"/> writes.</summary>
public sealed record CertificateExportOptions
{
    /// <summary>The format.</summary>
    public CertificateExportFormat Format { get; init; } = CertificateExportFormat.JsonLines;

    /// <summary>
    /// Adds a <c>pem</c> field: the X.509 certificate as PEM, or the SSH certificate in OpenSSH's
    /// one-line format (<c>TYPE BASE64</c>, as in a <c>-cert.pub</c> file).
    /// </summary>
    public bool IncludePem { get; init; }
}
