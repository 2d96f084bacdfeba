using System.Globalization;
using System.Text;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Storage.Query.Export;

/// <summary>The values of one exported certificate as both formats write them, so CSV and JSON Lines always agree.</summary>
internal static class ExportRecord
{
    /// <summary>The kind as written: <c>x509</c> or <c>ssh</c>.</summary>
    public static string Kind(CertificateRecord certificate) => certificate.Kind == CertificateKind.X509 ? "x509" : "ssh";

    /// <summary>An instant as RFC 3339 UTC with seconds (<c>2026-11-23T13:34:03Z</c>); "forever" as <c>9999-12-31T23:59:59Z</c>.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The <c>pem</c> field: PEM for X.509, the OpenSSH one-line format for SSH.</summary>
    public static string Pem(CertificateRecord certificate)
    {
        if (certificate.Kind == CertificateKind.X509)
        {
            return new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", certificate.Encoded.Span));
        }
        var reader = new SshWireReader(certificate.Encoded.Span);
        return reader.ReadText() + " " + Convert.ToBase64String(certificate.Encoded.Span);
    }

    /// <summary>Names joined for one CSV cell.</summary>
    public static string JoinNames(IReadOnlyList<string> names)
    {
        var text = new StringBuilder();
        foreach (var name in names)
        {
            if (text.Length > 0)
            {
                text.Append(';');
            }
            text.Append(name);
        }
        return text.ToString();
    }
}
