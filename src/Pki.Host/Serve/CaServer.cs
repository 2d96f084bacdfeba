using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Host.Kms;
using Smallstep.Pki.Provisioners.Acme.Http;
using Smallstep.Pki.Provisioners.Http;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Provisioners.Renewal;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Startup;
using Smallstep.Pki.Storage.Retention;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// The host's composition: the same DI registrations an embedding app uses (<c>AddPki()</c> +
/// softkms + the storage providers ca.json's <c>db</c> chooses from + JWK provisioners +
/// <c>FromCaJson</c>), Kestrel with the CA's own TLS certificate, and the step-ca API.
/// </summary>
internal sealed partial class CaServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AuthorityRuntime _runtime;
    private readonly ILogger _logger;

    private CaServer(WebApplication app, AuthorityRuntime runtime)
    {
        _app = app;
        _runtime = runtime;
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Smallstep.Pki.Host");
    }

    private static bool HasAcmeProvisioners(CaConfig config) =>
        config.Authority?.Provisioners?.Any(p => string.Equals(p.Type, ProvisionerTypeNames.Acme, StringComparison.OrdinalIgnoreCase)) == true;

    /// <summary>The HTTPS base address actually bound (useful with port 0).</summary>
    public Uri BaseAddress => new(_app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));

    public static async Task<CaServer> StartAsync(CaConfigLoadResult loaded, PasswordSource passwords, CancellationToken cancellationToken, AcmeCommandLine? acme = null)
    {
        var config = loaded.Config;
        TlsServerSetup? tls = null;
        var address = ListenAddress.Parse(config.Address);
        var builder = WebApplication.CreateSlimBuilder();
        HostLogging.Configure(builder.Logging, config.Logger?.Format);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            KestrelHardening.Apply(kestrel.Limits);
            void Https(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => listen.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.TlsHandshakeCallbackOptions
            {
                OnConnection = context => tls!.OptionsForHandshakeAsync(context.CancellationToken),
            });
            if (address.BindAddress is { } ip)
            {
                kestrel.Listen(ip, address.Port, Https);
            }
            else
            {
                kestrel.ListenAnyIP(address.Port, Https);
            }
        });
        // The registrations an embedding app makes; ca.json's kms and db blocks choose among them.
        var pki = builder.Services.AddPki()
            .AddHostKeyManagers(passwords)
            .AddSqliteStorage()
            .AddPostgresStorage()
            .AddMySqlStorage()
            .AddMemoryStorageProvider()
            .AddJwkProvisioners()
            .FromCaJson(loaded);
        // step-ca serves ACME only with a db (ca/ca.go); the type is registered either way so its
        // entries are listed.
        var servesAcme = config.Db is not null && HasAcmeProvisioners(config);
        if (servesAcme)
        {
            pki.AddAcmeStorage().AddAcme();
            var flags = acme ?? AcmeCommandLine.None;
            builder.Services.AddSingleton(flags);
            builder.Services.AddAcmeChallengeValidators(flags.Configure);
        }
        // The banner prints the start-up diagnostics in step-ca's place, so the start-up step does not log them too.
        builder.Services.Configure<PkiStartupOptions>(o => o.LogDiagnostics = false);
        builder.Services.AddSingleton<IRenewTokenAuthorizer, RenewTokenAuthorizer>();
        AddScheduledRetention(builder.Services, loaded);
        builder.Services.AddStepApi(options => options.TlsOptions = new StepTlsOptions
        {
            CipherSuites = config.EffectiveTls.CipherSuites,
            MinVersion = config.EffectiveTls.MinVersion,
            MaxVersion = config.EffectiveTls.MaxVersion,
            Renegotiation = config.EffectiveTls.Renegotiation,
        });
        var app = builder.Build();

        var startup = app.Services.GetRequiredService<PkiStartup>();
        tls = new TlsServerSetup(() => startup.Runtime, config.EffectiveTls);
        app.UseStepRequestLogging();
        app.UseStepApiFallbacks();
        app.MapStepApi();
        if (servesAcme)
        {
            app.MapAcme();
        }
        app.MapPendingFeatures();
        try
        {
            // The start-up step an embedding app's host runs in StartingAsync, run first here so a bad
            // key, path or missing registration stops the host with its one-line message (naming the
            // field) rather than the generic host's "Hosting failed to start" log; the hosted service
            // then finds the authority built. Either way it exists before Kestrel listens.
            await startup.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // Kestrel reports a busy or unassignable endpoint as an IOException.
            await app.DisposeAsync().ConfigureAwait(false);
            throw new CaConfigException(loaded.ConfigPath, [ConfigDiagnostic.Error("address", $"cannot listen on {config.Address}: {e.Message}")]);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var runtime = startup.Runtime;
        var server = new CaServer(app, runtime);
        StartupBanner.Write(server._logger, loaded, runtime, runtime.Diagnostics, app.Urls);
        return server;
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>
    /// SIGHUP: re-read ca.json and swap in a new authority (keys, roots, provisioners, claims,
    /// dnsNames, TLS certificate); in-flight requests finish on the old one. Passwords are not
    /// re-read (as in step-ca); the listen address, TLS versions and the database stay.
    /// </summary>
    public async Task ReloadAsync()
    {
        try
        {
            var current = _runtime.Loaded;
            var paths = current.Paths;
            var next = new CaConfigLoader(new CaConfigLoaderOptions { WorkingDirectory = paths.WorkingDirectory, StepPath = paths.StepPath, HomeDirectory = paths.HomeDirectory })
                .Load(current.ConfigPath);
            if (!SameDatabase(current, next))
            {
                LogReloadRefused(_logger, "the db block changed; restart to use a different database");
                return;
            }
            var diagnostics = new List<ConfigDiagnostic>();
            // Fresh instances of the registered key managers (the ones that opened the keys at
            // start, with their configuration), so a key replaced on disk or in the HSM is read again.
            await _runtime.ReloadAsync(next, diagnostics).ConfigureAwait(false);
            foreach (var d in diagnostics)
            {
                LogDiagnostic(_logger, d.ToString());
            }
            LogReloaded(_logger, current.ConfigPath, _runtime.Catalog.All.Count);
        }
        catch (Exception e) when (e is CaConfigException or IOException or Errors.PkiException)
        {
            LogReloadRefused(_logger, e.Message);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    // step-ca refuses a reload that changes the db block; compare what selects the database.
    private static bool SameDatabase(CaConfigLoadResult current, CaConfigLoadResult next)
    {
        var (a, b) = (current.Config.Db, next.Config.Db);
        if (a is null || b is null)
        {
            return a is null && b is null;
        }
        return string.Equals(a.Type, b.Type, StringComparison.OrdinalIgnoreCase)
            && current.ResolvePath(a.DataSource) == next.ResolvePath(b.DataSource)
            && a.Database == b.Database && a.ValueDir == b.ValueDir && a.BadgerFileLoadingMode == b.BadgerFileLoadingMode;
    }

    // ca.json db.retention: prune expired data on a schedule (docs/storage.md); checked before listening.
    private static void AddScheduledRetention(IServiceCollection services, CaConfigLoadResult loaded)
    {
        if (RetentionOptions.FromDatabaseConfig(loaded.Config.Db) is { } retention)
        {
            services.AddHostedService(sp => new Db.RetentionHostedService(sp.GetRequiredService<IKeyValueStore>, retention, TimeProvider.System,
                sp.GetRequiredService<ILogger<Db.RetentionHostedService>>()));
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "reloaded {ConfigPath}: {Count} provisioners")]
    private static partial void LogReloaded(ILogger logger, string configPath, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "reload refused: {Reason}")]
    private static partial void LogReloadRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "{Diagnostic}")]
    private static partial void LogDiagnostic(ILogger logger, string diagnostic);
}
