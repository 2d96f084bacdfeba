using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Smallstep.Pki.Tests.Host.Binary;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// Our host as the ACME server under test. It writes a fresh PKI (<see cref="WrittenPki"/>, as
/// <c>pki-host init</c>), adds an ACME provisioner named <c>acme</c> to ca.json, creates an external
/// account key with <c>pki-host acme eab add</c>, and runs the real host binary
/// (<see cref="HostProcess"/>) on 127.0.0.1:0 with the validator's ports and resolver set on the
/// command line, as step-ca's <c>--acme-http-port</c>, <c>--acme-tls-port</c> and <c>--resolver</c>
/// (plus <c>--acme-allow-loopback</c>: every test name resolves to 127.0.0.1). It also serves the
/// step API, so an ACME certificate can be renewed over mTLS.
/// </summary>
internal sealed partial class PkiHostAcmeServer : IAcmeServerUnderTest, IStepRenewEndpoint
{
    private const string ProvisionerName = "acme";
    private WrittenPki? _pki;
    private HostProcess? _host;

    public string Name => "pki-host";

    public Uri DirectoryUrl { get; private set; } = null!;

    public Uri StepBaseAddress { get; private set; } = null!;

    public string TlsTrustBundlePath => Pki.RootPath;

    public ExternalAccountKey? ExternalAccount { get; private set; }

    private string DatabasePath => Path.Combine(Pki.StepPath, "db", "pki.sqlite");

    public async Task StartAsync(AcmeServerSettings settings)
    {
        _pki = await WrittenPki.CreateAsync();
        var config = JsonNode.Parse(await File.ReadAllTextAsync(_pki.ConfigPath))!.AsObject();
        var provisioners = config["authority"]!["provisioners"]!.AsArray();
        provisioners.Add(new JsonObject
        {
            ["type"] = "ACME",
            ["name"] = ProvisionerName,
            ["challenges"] = new JsonArray("http-01", "dns-01", "tls-alpn-01"),
        });
        await File.WriteAllTextAsync(_pki.ConfigPath, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var (exitCode, eab) = await HostProcess.RunToExitAsync(_pki.StepPath, "acme", "eab", "add", "--provisioner", ProvisionerName, "--ca-config", _pki.ConfigPath);
        exitCode.Should().Be(0, eab);
        ExternalAccount = new ExternalAccountKey(KeyIdLine().Match(eab).Groups[1].Value, HmacLine().Match(eab).Groups[1].Value);
        _host = HostProcess.Start(_pki.StepPath, _pki.ConfigPath, "--password-file", _pki.PasswordFile,
            "--acme-http-port", settings.HttpChallengePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--acme-tls-port", settings.TlsAlpnChallengePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--resolver", settings.DnsResolver, "--acme-allow-loopback");
        var port = await _host.WaitUntilServingAsync();
        DirectoryUrl = new Uri($"https://127.0.0.1:{port}/acme/{ProvisionerName}/directory");
        StepBaseAddress = new Uri($"https://127.0.0.1:{port}");
    }

    public Task<X509Certificate2> GetIssuingRootAsync() => Task.FromResult(X509CertificateLoader.LoadCertificateFromFile(Pki.RootPath));

    // The host's own record: a row in revoked_x509_certs under the decimal serial, read with Debian's sqlite3.
    public Task<bool?> IsRevokedAsync(X509Certificate2 certificate)
    {
        var serial = new System.Numerics.BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Task.FromResult<bool?>(SqliteRows.HasKey(DatabasePath, "revoked_x509_certs", serial));
    }

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

    [GeneratedRegex(@"Key ID: (\S+)")]
    private static partial Regex KeyIdLine();

    [GeneratedRegex(@"HMAC key \(base64url\): (\S+)")]
    private static partial Regex HmacLine();
}
