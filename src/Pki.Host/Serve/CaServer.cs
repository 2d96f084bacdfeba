using System.Security.Cryptography;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Provisioners.Http;
using Smallstep.Pki.Provisioners.Jwk;
using Smallstep.Pki.Provisioners.Renewal;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;

namespace Smallstep.Pki.Host.Serve;

/// <summary>The composed CA: storage, keys, authority and the Kestrel server that exposes it.</summary>
internal sealed partial class CaServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AuthorityHolder _holder;
    private readonly IKeyValueStore _store;
    private readonly SoftKeyManager _keys;
    private readonly ILogger _logger;
    private readonly IProvisionerFactory[] _factories = [new JwkProvisionerFactory()];

    private CaServer(WebApplication app, AuthorityHolder holder, IKeyValueStore store, SoftKeyManager keys)
    {
        _app = app;
        _holder = holder;
        _store = store;
        _keys = keys;
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Smallstep.Pki.Host");
    }

    /// <summary>The HTTPS base address actually bound (useful with port 0).</summary>
    public Uri BaseAddress => new(_app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));

    public static async Task<CaServer> StartAsync(CaConfigLoadResult loaded, PasswordSource passwords, CancellationToken cancellationToken)
    {
        var config = loaded.Config;
        var diagnostics = new List<ConfigDiagnostic>(loaded.Diagnostics);
        var support = FeatureSupport.CreateDefault();
        support.DatabaseTypes.Add("sqlite");
        diagnostics.AddRange(FeatureSupportCheck.Check(config, support));
        var fatal = diagnostics.Where(d => d.Severity == ConfigDiagnosticSeverity.Error).ToArray();
        if (fatal.Length > 0)
        {
            throw new CaConfigException(loaded.ConfigPath, fatal);
        }

        var holder = new AuthorityHolder();
        var address = ListenAddress.Parse(config.Address);
        var builder = WebApplication.CreateSlimBuilder();
        HostLogging.Configure(builder.Logging, config.Logger?.Format);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            void Https(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = context => holder.Tls!.OptionsForHandshakeAsync(context.CancellationToken),
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
        builder.Services.AddSingleton(holder);
        builder.Services.AddSingleton<ICertificateAuthority>(_ => holder.Authority);
        builder.Services.AddSingleton<IProvisionerCatalog>(_ => holder.Catalog);
        builder.Services.AddSingleton(_ => holder.Audiences);
        builder.Services.AddSingleton<ITokenReplayStore>(_ => holder.Replay!);
        builder.Services.AddSingleton<IRenewTokenAuthorizer, RenewTokenAuthorizer>();
        builder.Services.AddStepApi(options => options.TlsOptions = new StepTlsOptions
        {
            CipherSuites = config.EffectiveTls.CipherSuites,
            MinVersion = config.EffectiveTls.MinVersion,
            MaxVersion = config.EffectiveTls.MaxVersion,
            Renegotiation = config.EffectiveTls.Renegotiation,
        });
        var app = builder.Build();

        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var keys = new SoftKeyManager(new SoftKmsOptions { PasswordProvider = path => passwords.Get(path) });
        var store = OpenStore(loaded, loggers.CreateLogger("Smallstep.Pki.Storage"));
        var stores = new AuthorityStores(new KeyValueCertificateStore(store), new KeyValueRevocationStore(store), new KeyValueTokenReplayStore(store));
        holder.Replay = stores.Replay;
        var server = new CaServer(app, holder, store, keys);
        holder.Runtime = await AuthorityRuntime.CreateAsync(loaded, keys, stores, server._factories, TimeProvider.System, loggers, diagnostics, cancellationToken).ConfigureAwait(false);
        holder.Tls = new TlsServerSetup(holder.Runtime.ServerCertificates, holder.Runtime.Authority.Trust, config.EffectiveTls);

        app.UseStepRequestLogging();
        app.MapStepApi();
        app.UseStepApiFallbacks();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        StartupBanner.Write(server._logger, loaded, holder.Runtime, diagnostics, app.Urls);
        return server;
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>SIGHUP: re-read ca.json and swap the provisioners; in-flight requests finish on the old set.</summary>
    public async Task ReloadAsync()
    {
        try
        {
            var current = _holder.Runtime.Loaded;
            var next = new CaConfigLoader().Load(current.ConfigPath);
            if (next.Config.Db != current.Config.Db)
            {
                LogReloadRefused(_logger, "the db block changed; restart to use a different database");
                return;
            }
            var diagnostics = new List<ConfigDiagnostic>();
            _holder.Runtime.Catalog.Swap(AuthorityRuntime.BuildCatalog(next.Config, _factories, TimeProvider.System, diagnostics));
            foreach (var d in diagnostics)
            {
                LogDiagnostic(_logger, d.ToString());
            }
            LogReloaded(_logger, current.ConfigPath);
        }
        catch (Exception e) when (e is CaConfigException or IOException)
        {
            LogReloadRefused(_logger, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _holder.Runtime.Dispose();
        _keys.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private static IKeyValueStore OpenStore(CaConfigLoadResult loaded, ILogger logger)
    {
        var db = loaded.Config.Db;
        if (db is null || string.IsNullOrEmpty(db.Type))
        {
            LogNoDatabase(logger);
            return new Storage.Memory.MemoryKeyValueStore();
        }
        var dataSource = loaded.ResolvePath(db.DataSource);
        return StorageFactory.Open(db.Type, dataSource, db.Database, Path.GetDirectoryName(loaded.ConfigPath)!, logger);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "reloaded provisioners from {ConfigPath}")]
    private static partial void LogReloaded(ILogger logger, string configPath);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "reload refused: {Reason}")]
    private static partial void LogReloadRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "{Diagnostic}")]
    private static partial void LogDiagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "ca.json has no db block: certificates are not stored and used tokens are remembered only until the process exits")]
    private static partial void LogNoDatabase(ILogger logger);
}
