using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// An EC P-256 client key made in .NET, its CSR, and the issued certificate joined with the key
/// so it can be a TLS client certificate (mTLS renew, rekey, revoke).
/// </summary>
internal sealed class ClientKey : IDisposable
{
    public ClientKey() => Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ECDsa Key { get; }

    /// <summary>A CSR with CN = <paramref name="commonName"/> and the given DNS SANs (default: the CN).</summary>
    public string CsrPem(string commonName, params string[] dnsNames)
    {
        var request = new CertificateRequest("CN=" + commonName, Key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames.Length == 0 ? [commonName] : dnsNames)
        {
            sans.AddDnsName(name);
        }
        request.CertificateExtensions.Add(sans.Build());
        return request.CreateSigningRequestPem();
    }

    /// <summary>The certificate from <paramref name="crtPem"/> with this private key.</summary>
    public X509Certificate2 WithKey(string crtPem)
    {
        using var certificate = X509Certificate2.CreateFromPem(crtPem);
        return certificate.CopyWithPrivateKey(Key);
    }

    public void Dispose() => Key.Dispose();
}
