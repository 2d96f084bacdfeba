using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Binary;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// OUR HOST as the ACME server under test — a PLACEHOLDER until branch wip/acme-server lands.
/// <para>
/// To enable (the lead): set <see cref="Enabled"/> to true, then check the three points marked
/// <c>LEAD:</c> below against the merged server (provisioner JSON, command-line flag names, EAB and
/// revocation status). Every real-client fixture already has a <c>[TestFixture(typeof(PkiHostAcmeServer))]</c>
/// variant, so nothing else changes.
/// </para>
/// It writes a fresh PKI (<see cref="WrittenPki"/>, as <c>pki-host init</c>), adds an ACME
/// provisioner named <c>acme</c> to ca.json, and runs the real host binary
/// (<see cref="HostProcess"/>) on 127.0.0.1:0 with the validator's ports and resolver set on the
/// command line, as step-ca's <c>--acme-http-port</c>, <c>--acme-tls-port</c> and <c>--resolver</c>.
/// </summary>
internal sealed class PkiHostAcmeServer : IAcmeServerUnderTest, IStepRenewEndpoint
{
    /// <summary>The one-line switch: false until our ACME server is merged (the fixture is then skipped with a reason).</summary>
    public static readonly bool Enabled = false;

    private const string ProvisionerName = "acme";
    private WrittenPki? _pki;
    private HostProcess? _host;

    public string Name => "pki-host";

    public Uri DirectoryUrl { get; private set; } = null!;

    public Uri StepBaseAddress { get; private set; } = null!;

    public string TlsTrustBundlePath => Pki.RootPath;

    // LEAD: create a key with `pki-host acme eab add --provisioner acme` in StartAsync (parse the printed
    // key ID and HMAC key) and return it here; null makes the EAB tests skip with a reason.
    public ExternalAccountKey? ExternalAccount { get; private set; }

    public async Task StartAsync(AcmeServerSettings settings)
    {
        if (!Enabled)
        {
            Assert.Ignore("our ACME server is not merged yet (branch wip/acme-server): set PkiHostAcmeServer.Enabled = true when it is");
        }
        _pki = await WrittenPki.CreateAsync();
        // LEAD: the ACME provisioner as the merged server reads it from ca.json (step-ca's shape).
        var config = JsonNode.Parse(await File.ReadAllTextAsync(_pki.ConfigPath))!.AsObject();
        var provisioners = config["authority"]!["provisioners"]!.AsArray();
        provisioners.Add(new JsonObject
        {
            ["type"] = "ACME",
            ["name"] = ProvisionerName,
            ["challenges"] = new JsonArray("http-01", "dns-01", "tls-alpn-01"),
        });
        await File.WriteAllTextAsync(_pki.ConfigPath, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        // LEAD: the flag names, if they differ from step-ca's.
        _host = HostProcess.Start(_pki.StepPath, _pki.ConfigPath, "--password-file", _pki.PasswordFile,
            "--acme-http-port", settings.HttpChallengePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--acme-tls-port", settings.TlsAlpnChallengePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--resolver", settings.DnsResolver);
        var port = await _host.WaitUntilServingAsync();
        StepBaseAddress = new Uri($"https://127.0.0.1:{port}");
        DirectoryUrl = new Uri(StepBaseAddress, $"/acme/{ProvisionerName}/directory");
    }

    public Task<X509Certificate2> GetIssuingRootAsync() => Task.FromResult(X509CertificateLoader.LoadCertificateFromFile(Pki.RootPath));

    // LEAD: answer from the host's store (the revoked_x509_certs table, see Infrastructure/SqliteRows.cs) or its CRL;
    // null means "cannot tell" and the tests then rely on the client's exit code.
    public Task<bool?> IsRevokedAsync(X509Certificate2 certificate) => Task.FromResult<bool?>(null);

    public string LogTail() => _host is null ? "(pki-host not started)" : string.Join('\n', _host.Output.Lines.TakeLast(40));

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _pki?.Dispose();
    }

    private WrittenPki Pki => _pki ?? throw new InvalidOperationException("pki-host is not started");
}
