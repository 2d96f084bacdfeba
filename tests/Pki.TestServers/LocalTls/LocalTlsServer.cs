using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.TestServers.LocalTls;

/// <summary>
/// A Kestrel HTTPS server on 127.0.0.1 with a port the OS picks, whose certificate a throw-away
/// root issues for the IP address 127.0.0.1. Clients trust <see cref="RootPemFile"/> (the key
/// managers' <c>PKI_KMS_CA_FILE</c>). Each cloud server maps its routes onto one. All servers of
/// a test process share one root, so one process-wide <c>PKI_KMS_CA_FILE</c> trusts them all.
/// </summary>
public sealed class LocalTlsServer : IAsyncDisposable
{
    private static readonly Lazy<(X509Certificate2 Certificate, ECDsa Key, string PemFile)> SharedRoot = new(CreateRoot);
    private readonly WebApplication _app;

    private LocalTlsServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary><c>https://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The root that issued the server's certificate (the same for every server of the process).</summary>
    public static X509Certificate2 Root => SharedRoot.Value.Certificate;

    /// <summary>A PEM file holding <see cref="Root"/>, kept for the life of the process.</summary>
    public static string RootPemFile => SharedRoot.Value.PemFile;

    /// <summary>Starts a server whose routes <paramref name="map"/> adds.</summary>
    public static async Task<LocalTlsServer> StartAsync(Action<WebApplication> map)
    {
        var leaf = IssueLeaf();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(leaf)));
        var app = builder.Build();
        map(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LocalTlsServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static (X509Certificate2, ECDsa, string) CreateRoot()
    {
        var now = DateTimeOffset.UtcNow;
        var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Local test server root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        var pemFile = Path.Combine(Directory.CreateTempSubdirectory("pki-testserver-root-").FullName, "root.pem");
        File.WriteAllText(pemFile, root.ExportCertificatePem());
        return (root, rootKey, pemFile);
    }

    private static X509Certificate2 IssueLeaf()
    {
        var now = DateTimeOffset.UtcNow;
        var root = SharedRoot.Value.Certificate;

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(sans.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = leafRequest.Create(root, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        // Kestrel needs the key with the certificate; a PFX round trip makes it usable everywhere.
        using var withKey = issued.CopyWithPrivateKey(leafKey);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }
}
