using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>
/// <c>POST /ssh/sign</c> on the host over a copy of the step-ca fixture PKI (its SSH user and host CA
/// keys, <c>enableSSHCA</c> on the JWK provisioner), with keys from ssh-keygen and certificates read
/// back by <c>ssh-keygen -L</c>; a second provisioner has a custom <c>options.ssh.template</c>.
/// </summary>
public sealed class SshSignTests : ServedPkiTests
{
    private const string ForcedTemplate = """
        {
            "type": {{ toJson .Type }},
            "keyId": {{ toJson .KeyID }},
            "principals": {{ toJson .Principals }},
            "criticalOptions": {"force-command": "/usr/local/bin/audit {{ .Token.sub }}", "source-address": {{ toJson .network }}},
            "extensions": {"permit-pty": ""}
        }
        """;

    private TemporaryDirectory _work = null!;
    private SshKeygenTool _keygen = null!;
    private ProvisionerKey _templated = null!;

    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync(config =>
    {
        // A copy of the fixture's JWK provisioner under another name, with a custom SSH template.
        var provisioners = config["authority"]!["provisioners"]!.AsArray();
        var templated = provisioners[0]!.DeepClone().AsObject();
        templated["name"] = "ssh-templated";
        templated["options"] = new JsonObject { ["ssh"] = new JsonObject { ["template"] = ForcedTemplate, ["templateData"] = new JsonObject { ["network"] = "10.1.0.0/16" } } };
        provisioners.Add(templated);
    });

    [OneTimeSetUp]
    public void CreateWorkDirectory()
    {
        _work = new TemporaryDirectory();
        _keygen = new SshKeygenTool(_work.Path);
        _templated = ProvisionerKey.Of("ssh-templated", Pki.Provisioner.Key, Pki.Root.RawData);
    }

    [OneTimeTearDown]
    public void DeleteWorkDirectory() => _work.Dispose();

    private static string Token(ProvisionerKey provisioner, string subject, object ssh) => SshTokens.Sign(provisioner, subject, ssh);

    [Test]
    public async Task A_user_certificate_reads_back_with_ssh_keygen_signed_by_the_user_ca()
    {
        var key = _keygen.NewKey();
        var token = Token(Pki.Provisioner, "alice@host.test", new { certType = "user", keyID = "alice@host.test", principals = new[] { "alice", "admin" } });
        var before = DateTimeOffset.UtcNow;

        using var response = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(key), ott = token, certType = "user", principals = new[] { "alice" } });

        ((int)response.StatusCode).Should().Be(201, await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("crt");
        var listing = _keygen.List(body.RootElement.GetProperty("crt").GetString()!, "ssh-ed25519-cert-v01@openssh.com");
        listing.Should().Contain("Type: ssh-ed25519-cert-v01@openssh.com user certificate");
        listing.Should().Contain("Signing CA: ECDSA " + SshKeygenTool.Fingerprint(Pki.Path("certs", "ssh_user_ca_key.pub")));
        listing.Should().Contain("Key ID: \"alice@host.test\"");
        listing.Should().MatchRegex(@"Principals: \n\s+alice\n\s+admin\n");
        listing.Should().Contain("Critical Options: (none)");
        foreach (var extension in new[] { "permit-X11-forwarding", "permit-agent-forwarding", "permit-port-forwarding", "permit-pty", "permit-user-rc" })
        {
            listing.Should().Contain(extension);
        }
        var valid = System.Text.RegularExpressions.Regex.Match(listing, @"Valid: from (\S+) to (\S+)");
        var from = DateTime.Parse(valid.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AdjustToUniversal);
        var to = DateTime.Parse(valid.Groups[2].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AdjustToUniversal);
        (to - from).Should().Be(TimeSpan.FromHours(16) + TimeSpan.FromMinutes(1), "16 h user default plus the one-minute backdate");
        from.Should().BeCloseTo(before.UtcDateTime.AddMinutes(-1), TimeSpan.FromSeconds(30));
        Pki.CountRows("ssh_users").Should().BeGreaterThanOrEqualTo(2);
    }

    [Test]
    public async Task A_host_certificate_is_signed_by_the_host_ca_and_indexed_by_principal()
    {
        var key = _keygen.NewKey("ecdsa");
        var token = Token(Pki.Provisioner, "web.host.test", new { certType = "host", principals = new[] { "web.host.test", "10.0.0.7" } });

        using var response = await Client.PostJsonAsync("/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(key), ott = token, certType = "host" });

        ((int)response.StatusCode).Should().Be(201, await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var listing = _keygen.List(body.RootElement.GetProperty("crt").GetString()!, "ecdsa-sha2-nistp256-cert-v01@openssh.com");
        listing.Should().Contain("host certificate");
        listing.Should().Contain("Signing CA: ECDSA " + SshKeygenTool.Fingerprint(Pki.Path("certs", "ssh_host_ca_key.pub")));
        listing.Should().Contain("Extensions: (none)");
        SqliteRows.Count(Pki.DatabasePath, "ssh_host_principals").Should().BeGreaterThanOrEqualTo(2);
    }

    [Test]
    public async Task A_custom_template_forces_a_command_and_a_source_address()
    {
        var key = _keygen.NewKey();
        var token = Token(_templated, "bob", new { certType = "user" });

        using var response = await Client.PostJsonAsync("/sign-ssh", new { publicKey = SshKeygenTool.PublicKeyBase64(key), ott = token });

        ((int)response.StatusCode).Should().Be(201, await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var listing = _keygen.List(body.RootElement.GetProperty("crt").GetString()!, "ssh-ed25519-cert-v01@openssh.com");
        listing.Should().Contain("force-command /usr/local/bin/audit bob");
        listing.Should().Contain("source-address 10.1.0.0/16");
        listing.Should().MatchRegex(@"Extensions: \n\s+permit-pty\n");
    }

    [Test]
    public async Task Add_user_public_key_gets_a_second_certificate()
    {
        var key = _keygen.NewKey();
        var token = Token(Pki.Provisioner, "carol", new { certType = "user" });

        using var response = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(key), ott = token, addUserPublicKey = SshKeygenTool.PublicKeyBase64(key) });

        ((int)response.StatusCode).Should().Be(201, await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var listing = _keygen.List(body.RootElement.GetProperty("addUserCrt").GetString()!, "ssh-ed25519-cert-v01@openssh.com");
        listing.Should().Contain("Key ID: \"carol-provisioner\"");
        listing.Should().Contain("force-command sudo useradd -m carol; nc -q0 localhost 22");
    }

    [Test]
    public async Task A_replayed_token_is_refused_with_401()
    {
        var key = SshKeygenTool.PublicKeyBase64(_keygen.NewKey());
        var token = Token(Pki.Provisioner, "dave", new { certType = "user" });
        using var first = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = key, ott = token });
        ((int)first.StatusCode).Should().Be(201);

        using var second = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = key, ott = token });

        await second.ShouldBeStepErrorAsync(401);
    }

    [TestCase("""{"publicKey":"","ott":"x"}""", "missing or empty publicKey")]
    [TestCase("""{"publicKey":"AAAA","ott":""}""", "missing or empty ott")]
    [TestCase("""{"publicKey":"AAAA","ott":"x","certType":"admin"}""", "invalid certType 'admin'")]
    [TestCase("""{"publicKey":"AAAA","ott":"x"}""", "error parsing publicKey")]
    public async Task Bad_bodies_answer_400(string json, string reason)
    {
        using var response = await Client.PostAsync("/1.0/ssh/sign", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeStepErrorAsync(400, $"The request could not be completed: {reason}.");
    }

    [Test]
    public async Task Ssh_roots_are_the_bytes_step_ca_served_for_the_same_keys()
    {
        using var roots = await Client.GetAsync("/1.0/ssh/roots");
        using var federation = await Client.GetAsync("/ssh/federation");

        ((int)roots.StatusCode).Should().Be(200);
        (await roots.Content.ReadAsStringAsync()).TrimEnd().Should().Be(Fixtures.Text("http", "14-get-ssh-roots.body.json").TrimEnd());
        (await federation.Content.ReadAsStringAsync()).TrimEnd().Should().Be(Fixtures.Text("http", "15-get-ssh-federation.body.json").TrimEnd());
    }

    [Test]
    public async Task Ssh_renew_is_served_and_refuses_a_token_that_is_not_an_sshpop_token()
    {
        using var response = await Client.PostJsonAsync("/1.0/ssh/renew", new { ott = "x" });

        await response.ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
    }
}
