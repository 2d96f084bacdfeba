using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Provisioners.Http;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Tests.Http;

/// <summary>
/// A real Kestrel on 127.0.0.1 (ephemeral port) serving <c>MapStepApi</c> with request logging and
/// step-ca's 404 fallback, over test doubles of the CA and the provisioner catalog.
/// </summary>
internal sealed class StepApiServer : IAsyncDisposable
{
    public const string OtherNotFoundPath = "/other/not-found";
    public const int KestrelBodyLimit = 4 * 1024 * 1024;
    private const string FixtureVersion = "0.19.0-debian-gopath";
    private WebApplication? _app;

    private StepApiServer(bool https) => Https = https;

    public Uri Address { get; private set; } = null!;

    public bool Https { get; }

    public FakeCertificateAuthority Authority { get; } = new();

    public FixtureProvisionerCatalog Catalog { get; } = new();

    public FakeRenewTokenAuthorizer RenewTokens { get; } = new();

    public StepApiOptions Options { get; } = new() { Version = FixtureVersion };

    public ManualTimeProvider Time { get; } = new(FixturePki.LeafValidityInstant);

    public CapturedLogs Logs { get; } = new();

    /// <summary>Starts a server; <paramref name="https"/> adds TLS that asks for (and accepts any) client certificate.</summary>
    public static async Task<StepApiServer> StartAsync(bool https = false, bool renewTokens = true)
    {
        var server = new StepApiServer(https);
        await server.StartCoreAsync(renewTokens);
        return server;
    }

    private async Task StartCoreAsync(bool renewTokens)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        if (Https)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Below what a test may allow in StepApiOptions, to see Kestrel's own refusal mapped too.
            kestrel.Limits.MaxRequestBodySize = KestrelBodyLimit;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (Https)
                {
                    listen.UseHttps(options =>
                    {
                        options.ServerCertificate = ServerCertificate();
                        options.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                        options.AllowAnyClientCertificate();
                    });
                }
            });
        });
        builder.Services.AddSingleton<ICertificateAuthority>(Authority);
        builder.Services.AddSingleton<IProvisionerCatalog>(Catalog);
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.AddSingleton<IOptionsMonitor<StepApiOptions>>(new StaticOptionsMonitor<StepApiOptions>(Options));
        if (renewTokens)
        {
            builder.Services.AddSingleton<IRenewTokenAuthorizer>(RenewTokens);
        }

        _app = builder.Build();
        _app.UseStepRequestLogging();
        _app.UseStepApiFallbacks();
        _app.MapStepApi();
        // Another application's endpoint that answers 404 itself: the fallback must leave it alone.
        _app.MapGet(OtherNotFoundPath, () => Results.NotFound());
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Address = new Uri(address);
    }

    /// <summary>A client for this server, presenting <paramref name="clientCertificate"/> over TLS when given.</summary>
    public HttpClient CreateClient(X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        if (Https)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate!,
            };
        }
        return new HttpClient(handler) { BaseAddress = Address };
    }

    /// <summary>Clears recorded calls, logs and settings changed by a test.</summary>
    public void Reset()
    {
        Authority.Reset();
        Catalog.Reset();
        RenewTokens.Reset();
        Logs.Clear();
        Time.Now = FixturePki.LeafValidityInstant;
        var defaults = new StepApiOptions();
        Options.Version = FixtureVersion;
        Options.RequireClientAuthentication = false;
        Options.TlsOptions = defaults.TlsOptions;
        Options.MaxRequestBodySize = defaults.MaxRequestBodySize;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static X509Certificate2 ServerCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }
}
