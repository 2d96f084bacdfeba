using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>A throw-away root and a 127.0.0.1/localhost server certificate it signs, written as PEM files (for a server under test's HTTPS endpoint).</summary>
internal sealed record TestTlsCertificates(string RootPath, string CertificatePath, string KeyPath)
{
    public static TestTlsCertificates Write(string directory)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Real-client test TLS root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var leaf = request.Create(root, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        var written = new TestTlsCertificates(Path.Combine(directory, "tls-root.pem"), Path.Combine(directory, "tls-cert.pem"), Path.Combine(directory, "tls-key.pem"));
        File.WriteAllText(written.RootPath, root.ExportCertificatePem() + "\n");
        File.WriteAllText(written.CertificatePath, leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(written.KeyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return written;
    }
}
