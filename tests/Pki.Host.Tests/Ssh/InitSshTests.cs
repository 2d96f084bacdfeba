using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>
/// <c>pki-host init --ssh</c> (as <c>step ca init --ssh</c>): SSH host and user CA keys, their public
/// keys, the configuration templates, ca.json's <c>ssh</c> and <c>templates</c> blocks, the JWK
/// provisioner allowed to sign SSH certificates and an SSHPOP provisioner; the host started on it
/// prints both CA keys, serves them and signs with them.
/// </summary>
public sealed class InitSshTests : ServedPkiTests
{
    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFreshAsync(ssh: true);

    [Test]
    public void Ca_json_gets_the_ssh_keys_the_templates_and_an_sshpop_provisioner()
    {
        var config = JsonNode.Parse(File.ReadAllText(Pki.ConfigPath))!;

        config["ssh"]!["hostKey"]!.GetValue<string>().Should().Be(Pki.Path("secrets", "ssh_host_ca_key"));
        config["ssh"]!["userKey"]!.GetValue<string>().Should().Be(Pki.Path("secrets", "ssh_user_ca_key"));
        var provisioners = config["authority"]!["provisioners"]!.AsArray();
        provisioners[0]!["claims"]!.ToJsonString().Should().Be("{\"enableSSHCA\":true}");
        provisioners[1]!.ToJsonString().Should().Be("{\"type\":\"SSHPOP\",\"name\":\"sshpop\",\"claims\":{\"enableSSHCA\":true}}");
        config["templates"]!["ssh"]!["user"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().Equal("config.tpl", "step_includes.tpl", "step_config.tpl", "known_hosts.tpl");
        config["templates"]!["ssh"]!["host"]![0]!["requires"]!.ToJsonString().Should().Be("[\"Certificate\",\"Key\"]");
        foreach (var name in new[] { "config.tpl", "step_includes.tpl", "step_config.tpl", "known_hosts.tpl", "sshd_config.tpl", "ca.tpl" })
        {
            File.Exists(Pki.Path("templates", "ssh", name)).Should().BeTrue(name);
        }
    }

    [Test]
    public void The_ca_keys_are_encrypted_owner_only_files_and_ssh_keygen_reads_the_public_keys()
    {
        foreach (var kind in new[] { "host", "user" })
        {
            var secret = Pki.Path("secrets", $"ssh_{kind}_ca_key");
            File.GetUnixFileMode(secret).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.ReadAllText(secret).Should().Contain("ENCRYPTED");
            SshKeygenTool.Fingerprint(Pki.Path("certs", $"ssh_{kind}_ca_key.pub")).Should().StartWith("SHA256:");
        }
    }

    [Test]
    public async Task The_host_prints_serves_and_renders_the_ssh_ca_keys()
    {
        var hostKey = File.ReadAllText(Pki.Path("certs", "ssh_host_ca_key.pub")).Trim();
        var userKey = File.ReadAllText(Pki.Path("certs", "ssh_user_ca_key.pub")).Trim();

        Pki.Log.Lines.Should().Contain(l => l.EndsWith("SSH Host CA Key: " + hostKey, StringComparison.Ordinal));
        Pki.Log.Lines.Should().Contain(l => l.EndsWith("SSH User CA Key: " + userKey, StringComparison.Ordinal));
        using var roots = JsonDocument.Parse(await Client.GetStringAsync("/ssh/roots"));
        roots.RootElement.GetProperty("hostKey")[0].GetString().Should().Be(hostKey.Split(' ')[1]);
        roots.RootElement.GetProperty("userKey")[0].GetString().Should().Be(userKey.Split(' ')[1]);
        using var config = await Client.PostJsonAsync("/ssh/config", new { type = "user", data = new { StepPath = "/s", StepSSHTemplateVersion = "v2" } });
        using var json = JsonDocument.Parse(await config.Content.ReadAsStringAsync());
        var knownHosts = json.RootElement.GetProperty("userTemplates").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "known_hosts.tpl");
        Encoding.UTF8.GetString(knownHosts.GetProperty("content").GetBytesFromBase64()).Should().Be($"@cert-authority * {hostKey}\n");
    }

    [Test]
    public async Task The_jwk_provisioner_signs_ssh_user_certificates_with_the_new_user_key()
    {
        var keygen = new SshKeygenTool(Pki.StepPath);
        var key = keygen.NewKey();
        var token = SshTokens.Sign(Pki.Provisioner, "alice", new { certType = "user", principals = new[] { "alice" } });

        using var response = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(key), ott = token });

        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(201, body);
        var listing = keygen.List(JsonDocument.Parse(body).RootElement.GetProperty("crt").GetString()!, "ssh-ed25519-cert-v01@openssh.com");
        var userCaFingerprint = SshKeygenTool.Fingerprint(Pki.Path("certs", "ssh_user_ca_key.pub"));
        listing.Should().Contain($"Signing CA: ECDSA {userCaFingerprint}");
    }
}
