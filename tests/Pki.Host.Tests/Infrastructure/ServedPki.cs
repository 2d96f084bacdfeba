using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Smallstep.Pki.Issuance.Templating;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Host.Init;
using Smallstep.Pki.Host.Serve;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// The real host (<see cref="CaServer"/>: Kestrel, TLS, SQLite, soft keys) serving a PKI in a
/// temporary STEPPATH on 127.0.0.1 with a port chosen by the OS. Either a copy of the step-ca 0.19
/// fixture PKI (the fixture folder is read-only; its badgerv2 <c>db</c> becomes
/// <c>db/pki.sqlite</c> in the copy) or a fresh PKI written by <see cref="PkiWriter"/>.
/// </summary>
internal sealed class ServedPki : IAsyncDisposable
{
    /// <summary>The fixture's test password (MANIFEST.md).</summary>
    public const string FixturePassword = "fixture-test-password";

    // Console.Out is process-wide: only one host may be starting (and capturing it) at a time.
    private static readonly SemaphoreSlim ConsoleSwap = new(1, 1);
    private readonly TemporaryDirectory _directory;
    private readonly Lazy<ProvisionerKey> _provisioner;
    private CaServer? _server;

    private ServedPki(TemporaryDirectory directory, string configPath, string password)
    {
        _directory = directory;
        var stepPath = directory.Path;
        ConfigPath = configPath;
        Password = password;
        Root = X509CertificateLoader.LoadCertificateFromFile(System.IO.Path.Combine(stepPath, "certs", "root_ca.crt"));
        Intermediate = X509CertificateLoader.LoadCertificateFromFile(System.IO.Path.Combine(stepPath, "certs", "intermediate_ca.crt"));
        _provisioner = new(() => ProvisionerKey.FromConfig(configPath, password, Root.RawData));
    }

    /// <summary>The temporary STEPPATH (also the working directory the config is resolved against).</summary>
    public string StepPath => _directory.Path;

    /// <summary>The served ca.json.</summary>
    public string ConfigPath { get; }

    /// <summary>The password of the CA keys and of the JWK provisioner key.</summary>
    public string Password { get; }

    /// <summary>The root certificate (the only trust anchor clients get).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The intermediate (issuer of every leaf).</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>The first JWK provisioner's decrypted key and token minting.</summary>
    public ProvisionerKey Provisioner => _provisioner.Value;

    /// <summary>The host's log output of the current run.</summary>
    public LogCapture Log { get; private set; } = new();

    /// <summary>The running host.</summary>
    public CaServer Server => _server ?? throw new InvalidOperationException("the host is stopped");

    /// <summary>The bound HTTPS address.</summary>
    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>The SQLite file the host stores certificates, revocations and used tokens in.</summary>
    public string DatabasePath => System.IO.Path.Combine(StepPath, "db", "pki.sqlite");

    /// <summary>A path inside the STEPPATH.</summary>
    public string Path(params string[] parts) => System.IO.Path.Combine([StepPath, .. parts]);

    /// <summary>Copies the fixture PKI, lets <paramref name="editConfig"/> change ca.json, listens on 127.0.0.1:0 and starts.</summary>
    public static async Task<ServedPki> StartFixtureCopyAsync(Action<JsonObject>? editConfig = null)
    {
        var directory = new TemporaryDirectory();
        FixturePkiCopy.CopyTo(directory.Path);
        var configPath = System.IO.Path.Combine(directory.Path, "config", "ca.json");
        var text = File.ReadAllText(configPath);
        if (editConfig is null)
        {
            // Keep the file as step wrote it, only the listener changes.
            const string Address = "\"address\": \"127.0.0.1:9444\"";
            text.Should().Contain(Address);
            text = text.Replace(Address, "\"address\": \"127.0.0.1:0\"", StringComparison.Ordinal);
        }
        else
        {
            var json = JsonNode.Parse(text)!.AsObject();
            json["address"] = "127.0.0.1:0";
            editConfig(json);
            text = json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        }
        File.WriteAllText(configPath, text);
        var pki = new ServedPki(directory, configPath, FixturePassword);
        await pki.StartAsync();
        return pki;
    }

    /// <summary>Writes a new PKI with <see cref="PkiWriter"/> (as <c>pki-host init</c>), optionally with CA templates and the SSH CA (<c>--ssh</c>), and starts it.</summary>
    public static async Task<ServedPki> StartFreshAsync(X509CertificateTemplate? rootTemplate = null, X509CertificateTemplate? intermediateTemplate = null, bool ssh = false)
    {
        var directory = new TemporaryDirectory();
        const string password = "fresh-test-password";
        var configPath = await PkiWriter.WriteAsync(new InitOptions(directory.Path, "Fresh", ["localhost", "127.0.0.1"], "127.0.0.1:0", "fresh-admin", password, password,
            rootTemplate, intermediateTemplate, Ssh: ssh));
        var pki = new ServedPki(directory, configPath, password);
        await pki.StartAsync();
        return pki;
    }

    /// <summary>Starts the host (again) over the same STEPPATH, with a new log.</summary>
    public async Task StartAsync()
    {
        if (_server is not null)
        {
            throw new InvalidOperationException("already running");
        }
        var loaded = new CaConfigLoader(new CaConfigLoaderOptions { WorkingDirectory = StepPath, StepPath = StepPath }).Load(ConfigPath);
        Log = new LogCapture();
        await ConsoleSwap.WaitAsync();
        var previous = Console.Out;
        try
        {
            Console.SetOut(Log);
            _server = await CaServer.StartAsync(loaded, new PasswordSource(null, Password), CancellationToken.None);
        }
        finally
        {
            Console.SetOut(previous);
            ConsoleSwap.Release();
        }
    }

    /// <summary>Stops the host (drains and flushes its log), keeping the STEPPATH.</summary>
    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    /// <summary>A client of the running host trusting only <see cref="Root"/>, optionally with a client certificate.</summary>
    public HttpClient CreateClient(X509Certificate2? clientCertificate = null) => CaHttpClient.Create(BaseAddress, Root, clientCertificate);

    /// <summary>Rows in a table of the host's SQLite store.</summary>
    public int CountRows(string table) => SqliteRows.Count(DatabasePath, table);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Root.Dispose();
        Intermediate.Dispose();
        _directory.Dispose();
    }
}
