using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Binary;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.SqlStorage;

/// <summary>
/// The host binary serving the step-ca 0.19 fixture PKI over the MariaDB database step-ca 0.19 itself
/// wrote (fixtures/step-ca-0.19/mysql: stepca.sql and manifest.json) keeps every fact of it: the
/// certificate step-ca revoked stays revoked, every token ID step-ca consumed is refused as a replay,
/// and new certificates go into the same tables next to step-ca's rows.
/// </summary>
public sealed class StepCaMySqlDumpTests
{
    private DatabaseServer _server = null!;
    private string _database = null!;
    private TemporaryDirectory _stepPath = null!;
    private HostProcess _host = null!;
    private HttpClient _client = null!;
    private ProvisionerKey _provisioner = null!;
    private JsonElement _manifest;
    private X509Certificate2 _root = null!;
    private readonly Dictionary<string, long> _rowsAfterStart = [];

    // Tables the start-up must leave as step-ca left them (counted right after start: later tests add ACME nonces).
    private static readonly string[] RowsStepCaWrote = ["revoked_x509_certs", "ssh_certs", "acme_accounts", "nonces"];

    [OneTimeSetUp]
    public async Task ServeTheFixtureOverTheDump()
    {
        _server = DatabaseServer.Require(SqlServerKind.MySql);
        _database = "stepca_" + Guid.NewGuid().ToString("N")[..12];
        MariaDbDump.Load(_server, _database);
        _manifest = JsonDocument.Parse(Fixtures.Text("mysql", "manifest.json")).RootElement.Clone();

        _stepPath = new TemporaryDirectory();
        var configPath = FixturePkiCopy.Write(_stepPath.Path, config =>
        {
            config["address"] = "127.0.0.1:0";
            config["db"] = _server.DbBlock(_database);
        });

        _host = HostProcess.Start(_stepPath.Path, configPath, "--password-file", Path.Combine(_stepPath.Path, "password.txt"));
        var port = await _host.WaitUntilServingAsync();
        var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_stepPath.Path, "certs", "root_ca.crt"));
        _root = root;
        _client = CaHttpClient.Create(new Uri($"https://127.0.0.1:{port}"), root);
        _provisioner = ProvisionerKey.FromConfig(configPath, ServedPki.FixturePassword, root.RawData);
        foreach (var table in RowsStepCaWrote)
        {
            _rowsAfterStart[table] = await _server.CountRowsAsync(_database, table);
        }
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _stepPath?.Dispose();
    }

    [Test]
    public async Task The_acme_certificate_step_ca_issued_has_renewal_information()
    {
        using var certificate = X509CertificateLoader.LoadCertificate(Fixtures.Bytes("mysql", "certs", "acme-localhost.crt"));
        var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray();
        var certId = $"{Acme.Protocol.AcmeTestClient.B64(aki)}.{Acme.Protocol.AcmeTestClient.B64(certificate.SerialNumberBytes.ToArray())}";

        using var response = await _client.GetAsync($"/acme/acme/renewal-info/{certId}");

        ((int)response.StatusCode).Should().Be(200, await response.Content.ReadAsStringAsync());
        var window = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["suggestedWindow"]!;
        DateTimeOffset.Parse((string)window["end"]!, System.Globalization.CultureInfo.InvariantCulture).Should().BeBefore(certificate.NotAfter.ToUniversalTime());
    }

    [Test]
    public async Task The_acme_account_step_ca_created_is_found_by_its_url_and_its_key_is_required()
    {
        var acme = _manifest.GetProperty("acme");
        var host = _client.BaseAddress!.Authority;
        using var client = new Acme.Protocol.AcmeTestClient(host, [CaHttpClient.Create(_client.BaseAddress, _root)]);
        // An account of step-ca 0.19 has no stored location: its URL is this host's account prefix and its id.
        client.AccountUrl = $"https://{host}/acme/acme/account/{acme.GetProperty("account_id").GetString()}";
        var orderUrl = $"https://{host}/acme/acme/order/{acme.GetProperty("order_id").GetString()}";

        using var withAnotherKey = await client.PostAsync(orderUrl, null);
        client.AccountUrl = $"https://{host}/acme/acme/account/NoSuchAccountId0000000000000000";
        using var unknown = await client.PostAsync(orderUrl, null);

        // step-ca answers a signature that is not the account key's as malformed ("error verifying jws").
        ((int)withAnotherKey.StatusCode).Should().Be(400);
        (await withAnotherKey.Content.ReadAsStringAsync()).Should().Contain("the JWS signature is not valid", "step-ca's account is found and only its own key may sign");
        (await Acme.Protocol.AcmeTestClient.ProblemType(unknown)).Should().Be("urn:ietf:params:acme:error:accountDoesNotExist");
    }

    [Test]
    public async Task The_host_starts_on_the_dump_without_touching_step_cas_rows()
    {
        _host.Output.Lines.Should().Contain(l => l.Contains($"Opened the mysql database {_database}", StringComparison.Ordinal));
        foreach (var table in RowsStepCaWrote)
        {
            _rowsAfterStart[table].Should().Be(_manifest.GetProperty("dump").GetProperty("tables_row_counts").GetProperty(table).GetInt64(), table);
        }
    }

    [Test]
    public async Task The_certificate_step_ca_revoked_stays_revoked()
    {
        var serial = _manifest.GetProperty("revoked").GetProperty("serial_decimal").GetString()!;

        using var response = await _client.PostJsonAsync("/1.0/revoke",
            new { serial, ott = _provisioner.RevokeToken(serial), reasonCode = 1, reason = "again", passive = true });

        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest($"certificate with serial number '{serial}' is already revoked"));
        (await _server.CountRowsAsync(_database, "revoked_x509_certs")).Should().Be(1);
    }

    [Test]
    public async Task Every_token_id_step_ca_consumed_is_refused_as_a_replay()
    {
        // The recorded tokens expired minutes after they were made, so each is re-minted with the
        // provisioner key and its original jti: only the used_ott row step-ca wrote can refuse it.
        foreach (var token in _manifest.GetProperty("tokens").EnumerateArray())
        {
            var jti = token.GetProperty("jti").GetString()!;
            using var key = new ClientKey();
            var subject = $"replay-{jti[..8]}.fixture.test";
            var mark = _host.Output.Mark();

            using var response = await _client.PostJsonAsync("/1.0/sign", new { csr = key.CsrPem(subject), ott = SignToken(subject, jti) });

            await response.ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
            (await _host.WaitForLineAsync(l => l.Contains("/1.0/sign answered 401", StringComparison.Ordinal), mark)).Should().EndWith("token already used", jti);
        }
    }

    [Test]
    public async Task A_new_certificate_and_its_token_are_stored_beside_step_cas_rows()
    {
        var certificatesBefore = await _server.CountRowsAsync(_database, "x509_certs");
        var jti = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using var key = new ClientKey();

        using var response = await _client.PostJsonAsync("/1.0/sign", new { csr = key.CsrPem("fresh.fixture.test"), ott = SignToken("fresh.fixture.test", jti) });

        var issued = await response.ShouldBeIssuedAsync();
        (await _server.CountRowsAsync(_database, "x509_certs")).Should().Be(certificatesBefore + 1);
        (await _server.HasKeyAsync(_database, "x509_certs", issued.SerialDecimal)).Should().BeTrue();
        (await _server.HasKeyAsync(_database, "x509_certs_data", issued.SerialDecimal)).Should().BeTrue();
        (await _server.HasKeyAsync(_database, "used_ott", jti)).Should().BeTrue();
        foreach (var certificate in _manifest.GetProperty("x509_certificates").EnumerateArray())
        {
            (await _server.HasKeyAsync(_database, "x509_certs", certificate.GetProperty("serial_decimal").GetString()!)).Should().BeTrue();
        }
    }

    private string SignToken(string subject, string jti) =>
        _provisioner.Signer().Sign(_provisioner.Descriptor(subject) with { TokenId = jti });
}
