using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Smallstep.Pki.Tests.X5c;

/// <summary>
/// An outside PKI for X5C tokens, made with .NET's certificate builder: a root, an intermediate, and
/// leaves signed by the intermediate with whatever extensions and validity a test needs.
/// </summary>
internal sealed class X5cTestPki : IDisposable
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private readonly List<IDisposable> _owned = [];

    public X5cTestPki(DateTimeOffset now, string name = "X5C Test")
    {
        Now = now;
        RootKey = Own(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        Root = Own(CaCertificate($"CN={name} Root", RootKey, null, null, now.AddDays(-1), now.AddYears(10)));
        IntermediateKey = Own(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        Intermediate = Own(CaCertificate($"CN={name} Intermediate", IntermediateKey, Root, RootKey, now.AddDays(-1), now.AddYears(5)));
    }

    public DateTimeOffset Now { get; }

    public ECDsa RootKey { get; }

    public X509Certificate2 Root { get; }

    public ECDsa IntermediateKey { get; }

    public X509Certificate2 Intermediate { get; }

    /// <summary>ca.json <c>roots</c>: standard base64 of the PEM of <paramref name="roots"/> (this root by default).</summary>
    public string RootsBase64(params X509Certificate2[] roots) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Concat((roots.Length == 0 ? [Root] : roots).Select(r => r.ExportCertificatePem() + "\n"))));

    /// <summary>
    /// A leaf for <paramref name="commonName"/> signed by the intermediate (or <paramref name="issuer"/>):
    /// by default not a CA, digitalSignature, clientAuth and serverAuth, DNS SAN = the name, valid one
    /// hour before now until <paramref name="validFor"/> (2 h) after.
    /// </summary>
    public (X509Certificate2 Certificate, ECDsa Key) Leaf(string commonName, Action<CertificateRequest>? extensions = null, TimeSpan? validFor = null,
        DateTimeOffset? notBefore = null, (X509Certificate2 Certificate, ECDsa Key)? issuer = null, ECCurve? curve = null)
    {
        var key = Own(ECDsa.Create(curve ?? ECCurve.NamedCurves.nistP256));
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        if (extensions is null)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth), new Oid(ClientAuth)], false));
            var sans = new SubjectAlternativeNameBuilder();
            sans.AddDnsName(commonName);
            request.CertificateExtensions.Add(sans.Build());
        }
        else
        {
            extensions(request);
        }
        var (issuerCertificate, issuerKey) = issuer ?? (Intermediate, IntermediateKey);
        var start = notBefore ?? Now.AddHours(-1);
        var end = start + (validFor ?? TimeSpan.FromHours(3));
        var certificate = Own(request.Create(issuerCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), start, end, RandomNumberGenerator.GetBytes(16)));
        return (certificate, key);
    }

    /// <summary>The leaf's extensions a test edits from: digitalSignature and clientAuth, not a CA.</summary>
    public static void ClientLeafExtensions(CertificateRequest request, X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature, bool isCa = false, string eku = ClientAuth)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        if (usage != X509KeyUsageFlags.None)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private static X509Certificate2 CaCertificate(string subject, ECDsa key, X509Certificate2? issuer, ECDsa? issuerKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, issuer is not null, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }
        using var signed = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey!), notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    private T Own<T>(T value) where T : IDisposable
    {
        _owned.Add(value);
        return value;
    }
}
