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
/// managers' <c>PKI_KMS_CA_FILE</c>). Each cloud server maps its routes onto one.
/// </summary>
public sealed class LocalTlsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private LocalTlsServer(WebApplication app, Uri baseAddress, X509Certificate2 root, string directory)
    {
        _app = app;
        BaseAddress = baseAddress;
        Root = root;
        _directory = directory;
        RootPemFile = Path.Combine(directory, "root.pem");
        File.WriteAllText(RootPemFile, root.ExportCertificatePem());
    }

    /// <summary><c>https://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The root that issued the server's certificate.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>A PEM file holding <see cref="Root"/>.</summary>
    public string RootPemFile { get; }

    /// <summary>Starts a server whose routes <paramref name="map"/> adds.</summary>
    public static async Task<LocalTlsServer> StartAsync(Action<WebApplication> map)
    {
        var (root, leaf) = IssueCertificates();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(leaf)));
        var app = builder.Build();
        map(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var directory = Directory.CreateTempSubdirectory("pki-testserver-").FullName;
        return new LocalTlsServer(app, new Uri(address.TrimEnd('/') + "/"), root, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Root.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static (X509Certificate2 Root, X509Certificate2 Leaf) IssueCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Local test server root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(sans.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = leafRequest.Create(root, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        // Kestrel needs the key with the certificate; a PFX round trip makes it usable everywhere.
        using var withKey = issued.CopyWithPrivateKey(leafKey);
        var leaf = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
        return (root, leaf);
    }
}
