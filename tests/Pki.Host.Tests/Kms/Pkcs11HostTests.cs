using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Binary;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.Ssh;

namespace Smallstep.Pki.Tests.Host.Kms;

/// <summary>
/// The host binary with its CA keys in SoftHSM2: <c>pki-host init --kms</c> makes the root and
/// intermediate keys on the token, <c>pki-host kms create</c> the SSH CA keys; the served CA issues
/// an X.509 certificate <c>openssl verify</c> accepts, keeps signing through PKCS#11 after SIGHUP,
/// and signs SSH user and host certificates that <c>ssh-keygen -L</c> reads and checks.
/// </summary>
[NonParallelizable]
public class Pkcs11HostTests
{
    private const string Password = "kms-test-password";

    [Test]
    public async Task A_pki_initialized_in_softhsm2_issues_x509_and_ssh_certificates_and_keeps_its_key_manager_after_sighup()
    {
        var hsm = SoftHsm.RequireOrIgnore();
        ExternalTool.Require("ssh-keygen", "openssh-client");
        var kmsUri = SoftHsm.KmsUri(hsm.NewToken());
        using var work = new TemporaryDirectory();
        var stepPath = Path.Combine(work.Path, "step");
        var passwordFile = Path.Combine(work.Path, "password");
        await File.WriteAllTextAsync(passwordFile, Password);

        var (initExit, initOutput) = await HostProcess.RunToExitAsync(stepPath, "init", "--name", "Hsm", "--dns", "localhost", "--dns", "127.0.0.1",
            "--address", "127.0.0.1:0", "--provisioner", "admin", "--password-file", passwordFile, "--kms", kmsUri);
        initExit.Should().Be(0, initOutput);
        var userKey = await KmsCreateAsync(stepPath, kmsUri, "pkcs11:id=7334;object=ssh-user-ca", "--kty", "EC", "--crv", "P384");
        var hostKey = await KmsCreateAsync(stepPath, kmsUri, "pkcs11:id=7333;object=ssh-host-ca", "--kty", "RSA", "--size", "2048");
        var configPath = Path.Combine(stepPath, "config", "ca.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["key"]!.GetValue<string>().Should().Be("pkcs11:id=7332;object=intermediate-ca");
        config["kms"]!.ToJsonString().Should().Be(new JsonObject { ["type"] = "pkcs11", ["uri"] = kmsUri }.ToJsonString());
        Directory.GetFiles(Path.Combine(stepPath, "secrets")).Should().BeEmpty("the CA keys live on the token");
        config["ssh"] = new JsonObject { ["userKey"] = userKey.Name, ["hostKey"] = hostKey.Name };
        config["authority"]!["provisioners"]![0]!["claims"] = new JsonObject { ["enableSSHCA"] = true };
        File.WriteAllText(configPath, config.ToJsonString());

        await using var host = HostProcess.Start(stepPath, configPath, "--password-file", passwordFile);
        var port = await host.WaitUntilServingAsync();
        var rootPath = Path.Combine(stepPath, "certs", "root_ca.crt");
        using var root = X509CertificateLoader.LoadCertificateFromFile(rootPath);
        using var client = CaHttpClient.Create(new Uri($"https://127.0.0.1:{port}"), root);
        var provisioner = ProvisionerKey.FromConfig(configPath, Password, root.RawData);
        var intermediatePath = Path.Combine(stepPath, "certs", "intermediate_ca.crt");

        await IssueAndVerifyAsync(client, provisioner, work, rootPath, intermediatePath, "before.hsm.test");
        var mark = host.Output.Mark();
        host.Signal("HUP");
        (await host.WaitForLineAsync(l => l.Contains("[2001]", StringComparison.Ordinal) || l.Contains("[2002]", StringComparison.Ordinal), mark))
            .Should().Contain("[2001]");
        await IssueAndVerifyAsync(client, provisioner, work, rootPath, intermediatePath, "after.hsm.test");

        var keygen = new SshKeygenTool(work.Path);
        var userListing = await SshSignAsync(client, provisioner, keygen, "user", "alice@hsm.test", ["alice"]);
        userListing.Should().Contain("user certificate").And.Contain("Signing CA: ECDSA " + SshFingerprint(work, userKey.PublicKey, "user-ca"));
        var hostListing = await SshSignAsync(client, provisioner, keygen, "host", "web.hsm.test", ["web.hsm.test"]);
        hostListing.Should().Contain("host certificate").And.Contain("Signing CA: RSA " + SshFingerprint(work, hostKey.PublicKey, "host-ca"))
            .And.Contain("rsa-sha2-256");
        host.Output.Lines.Should().NotContain(l => l.Contains("pin-value=" + SoftHsm.UserPin, StringComparison.Ordinal), "no PIN in any log line");
    }

    [Test]
    public async Task Kms_create_prints_the_plugins_json_and_refuses_an_existing_key()
    {
        var hsm = SoftHsm.RequireOrIgnore();
        var kmsUri = SoftHsm.KmsUri(hsm.NewToken());
        using var work = new TemporaryDirectory();

        var created = await KmsCreateAsync(work.Path, kmsUri, "pkcs11:id=01;object=plugin-json");
        var (again, output) = await HostProcess.RunToExitAsync(work.Path, "kms", "create", "--kms", kmsUri, "pkcs11:id=01;object=plugin-json");

        created.Name.Should().Be("pkcs11:id=01;object=plugin-json");
        created.PublicKey.Should().StartWith("-----BEGIN PUBLIC KEY-----\n").And.EndWith("-----END PUBLIC KEY-----\n");
        again.Should().Be(1);
        output.Should().Contain("already exists").And.NotContain(SoftHsm.UserPin);
    }

    [TestCase("99999999", "CKR_PIN_INCORRECT")]
    [TestCase(null, "no token \"absent-token\"")]
    public async Task A_wrong_pin_or_a_missing_token_stops_the_host_before_it_listens_naming_kms_uri_without_the_pin(string? pin, string reason)
    {
        var hsm = SoftHsm.RequireOrIgnore();
        var token = pin is null ? "absent-token" : hsm.NewToken();
        using var pki = await WrittenPki.CreateAsync();
        var config = JsonNode.Parse(File.ReadAllText(pki.ConfigPath))!;
        config["kms"] = new JsonObject { ["type"] = "pkcs11", ["uri"] = SoftHsm.KmsUri(token, pin ?? "24682468") };
        config["key"] = "pkcs11:id=7332;object=intermediate-ca";
        File.WriteAllText(pki.ConfigPath, config.ToJsonString());

        var (exitCode, output) = await HostProcess.RunToExitAsync(pki.StepPath, pki.ConfigPath, "--password-file", pki.PasswordFile);

        exitCode.Should().Be(1, output);
        output.Should().Contain("kms.uri").And.Contain(reason).And.NotContain(pin ?? "24682468").And.NotContain("   at ");
    }

    [Test]
    public async Task Kms_commands_name_what_is_missing_for_an_unregistered_type_or_unnamed_keys()
    {
        using var work = new TemporaryDirectory();
        var passwordFile = Path.Combine(work.Path, "password");
        await File.WriteAllTextAsync(passwordFile, Password);

        var (createExit, createOutput) = await HostProcess.RunToExitAsync(work.Path, "kms", "create", "--kms", "nosuchkms:x=1", "key");
        var (initExit, initOutput) = await HostProcess.RunToExitAsync(Path.Combine(work.Path, "step"), "init", "--name", "X", "--dns", "localhost",
            "--address", "127.0.0.1:0", "--provisioner", "admin", "--password-file", passwordFile, "--kms", "nosuchkms:x=1");

        createExit.Should().Be(2, createOutput);
        createOutput.Should().Contain("--kms nosuchkms: no key manager is registered for that type (registered: ").And.Contain("pkcs11").And.Contain("yubikey");
        initExit.Should().Be(2, initOutput);
        initOutput.Should().Contain("--kms nosuchkms needs --kms-root and --kms-intermediate");
        File.Exists(Path.Combine(work.Path, "step", "config", "ca.json")).Should().BeFalse();
    }

    private sealed record CreatedKeyJson(string Name, string PublicKey);

    private static async Task<CreatedKeyJson> KmsCreateAsync(string stepPath, string kmsUri, string name, params string[] flags)
    {
        var (exit, output) = await HostProcess.RunToExitAsync(stepPath, ["kms", "create", "--kms", kmsUri, .. flags, name]);
        exit.Should().Be(0, output);
        using var json = JsonDocument.Parse(output);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("name", "publicKey");
        output.Should().StartWith("{\n  \"name\": ", "Go's json.MarshalIndent with two spaces, as step-kms-plugin prints");
        return new CreatedKeyJson(json.RootElement.GetProperty("name").GetString()!, json.RootElement.GetProperty("publicKey").GetString()!);
    }

    private static async Task IssueAndVerifyAsync(HttpClient client, ProvisionerKey provisioner, TemporaryDirectory work, string rootPath, string intermediatePath, string name)
    {
        using var key = new ClientKey();
        using var response = await client.PostJsonAsync("/1.0/sign", new { csr = key.CsrPem(name, name), ott = provisioner.SignToken(name, [name]) });
        var issued = await response.ShouldBeIssuedAsync();
        var leafPath = Path.Combine(work.Path, name + ".crt");
        await File.WriteAllTextAsync(leafPath, issued.CrtPem);
        var verified = OpenSsl.Verify(rootPath, intermediatePath, leafPath);
        verified.ExitCode.Should().Be(0, verified.Stdout + verified.Stderr);
        verified.Stdout.Should().Contain(": OK");
    }

    private static async Task<string> SshSignAsync(HttpClient client, ProvisionerKey provisioner, SshKeygenTool keygen, string certType, string keyId, string[] principals)
    {
        var key = keygen.NewKey();
        var token = SshTokens.Sign(provisioner, keyId, new { certType, keyID = keyId, principals });
        using var response = await client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(key), ott = token, certType, principals });
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(201, body);
        using var json = JsonDocument.Parse(body);
        return keygen.List(json.RootElement.GetProperty("crt").GetString()!, "ssh-ed25519-cert-v01@openssh.com");
    }

    // The SSH form of a PEM public key (ssh-keygen -i -m PKCS8), then its SHA256 fingerprint.
    private static string SshFingerprint(TemporaryDirectory work, string publicKeyPem, string name)
    {
        var pem = Path.Combine(work.Path, name + ".pem");
        File.WriteAllText(pem, publicKeyPem);
        var ssh = ExternalTool.RunChecked("ssh-keygen", "-i", "-m", "PKCS8", "-f", pem);
        var pub = Path.Combine(work.Path, name + ".pub");
        File.WriteAllText(pub, ssh);
        return SshKeygenTool.Fingerprint(pub);
    }
}
