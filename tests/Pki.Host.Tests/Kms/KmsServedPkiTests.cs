using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.Ssh;

namespace Smallstep.Pki.Tests.Host.Kms;

/// <summary>
/// The host serving a copy of the fixture PKI whose intermediate and SSH CA keys live in a key
/// manager's local cloud server: the keys are created through the key manager, the intermediate
/// certificate is signed by the fixture root, ca.json names the keys as step-ca's docs show, and
/// the host signs X.509 leaves (checked by <c>openssl verify</c>) and SSH certificates (checked by
/// <c>ssh-keygen -L</c>) with them. Subclassed once per cloud.
/// </summary>
public abstract class KmsServedPkiTests : ServedPkiTests
{
    private TemporaryDirectory _work = null!;
    private string _intermediatePath = null!;
    private string _sshUserPublicKeyPath = null!;

    /// <summary>Starts the cloud server and points the host's key manager at it (environment variables).</summary>
    private protected abstract Task StartKmsAsync(string workDirectory);

    /// <summary>Stops the cloud server and clears the environment variables.</summary>
    private protected abstract ValueTask StopKmsAsync();

    /// <summary>A key manager of the local server, to create the keys with.</summary>
    private protected abstract Task<IKeyManager> ManagerAsync();

    /// <summary>A name to create a key under.</summary>
    private protected abstract string NewKeyName(string purpose);

    /// <summary>How ca.json names the created key.</summary>
    private protected abstract string ConfigKeyName(CreatedKey key);

    /// <summary>The ca.json kms block.</summary>
    private protected abstract JsonObject KmsBlock();

    /// <summary>A key name in ca.json's form for a key the server does not have, and the service's reason for it.</summary>
    private protected abstract (string KeyName, string Reason) MissingKey { get; }

    /// <summary>How many signatures the server made.</summary>
    private protected abstract int ServerSignatures { get; }

    private protected override async Task<ServedPki> StartPkiAsync()
    {
        ExternalTool.Require("openssl", "openssl");
        ExternalTool.Require("ssh-keygen", "openssh-client");
        _work = new TemporaryDirectory();
        await StartKmsAsync(_work.Path);
        await using var manager = await ManagerAsync();
        var intermediate = await manager.CreateKeyAsync(new CreateKeyRequest(NewKeyName("intermediate"), KeyAlgorithm.EcdsaP256));
        var sshUser = await manager.CreateKeyAsync(new CreateKeyRequest(NewKeyName("ssh-user"), KeyAlgorithm.EcdsaP256));
        var sshHost = await manager.CreateKeyAsync(new CreateKeyRequest(NewKeyName("ssh-host"), KeyAlgorithm.EcdsaP384));
        _intermediatePath = Path.Combine(_work.Path, "intermediate_ca.crt");
        await File.WriteAllTextAsync(_intermediatePath, IssueIntermediate(intermediate.SubjectPublicKeyInfo).ExportCertificatePem() + "\n");
        _sshUserPublicKeyPath = OpenSshPublicKey(sshUser.SubjectPublicKeyInfo, "ssh-user");
        return await ServedPki.StartFixtureCopyAsync(config =>
        {
            config["crt"] = _intermediatePath;
            config["key"] = ConfigKeyName(intermediate);
            config["ssh"]!["userKey"] = ConfigKeyName(sshUser);
            config["ssh"]!["hostKey"] = ConfigKeyName(sshHost);
            config["kms"] = KmsBlock();
        });
    }

    [OneTimeTearDown]
    public async Task StopKms()
    {
        await StopKmsAsync();
        _work?.Dispose();
    }

    [Test]
    public async Task Issues_a_leaf_signed_in_the_kms_that_openssl_verifies()
    {
        using var work = new TemporaryDirectory();
        var openssl = new OpenSsl(work.Path);
        var csr = openssl.Csr(openssl.NewKey(OpenSslKeyType.EcP256), "kms.host.test", "DNS:kms.host.test");
        var before = ServerSignatures;

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr, ott = Pki.Provisioner.SignToken("kms.host.test") });

        var issued = await response.ShouldBeIssuedAsync();
        var verify = OpenSsl.Verify(Pki.Path("certs", "root_ca.crt"), _intermediatePath, openssl.Save(issued.CrtPem, "leaf.crt"));
        verify.ExitCode.Should().Be(0, verify.Stderr + verify.Stdout);
        ServerSignatures.Should().BeGreaterThan(before, "the leaf is signed by the cloud server");
    }

    [Test]
    public async Task Signs_an_ssh_user_certificate_with_the_kms_user_key()
    {
        var keygen = new SshKeygenTool(_work.Path);
        var key = keygen.NewKey();
        var token = SshTokens.Sign(Pki.Provisioner, "alice@kms.test", new { certType = "user", keyID = "alice@kms.test", principals = new[] { "alice" } });

        using var response = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(key), ott = token, certType = "user", principals = new[] { "alice" } });

        ((int)response.StatusCode).Should().Be(201, await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var listing = keygen.List(body.RootElement.GetProperty("crt").GetString()!, "ssh-ed25519-cert-v01@openssh.com");
        listing.Should().Contain("Signing CA: ECDSA " + SshKeygenTool.Fingerprint(_sshUserPublicKeyPath));
    }

    [Test]
    public async Task After_a_reload_the_host_still_signs_in_the_kms()
    {
        await Pki.Server.ReloadAsync();
        using var work = new TemporaryDirectory();
        var openssl = new OpenSsl(work.Path);
        var csr = openssl.Csr(openssl.NewKey(OpenSslKeyType.EcP256), "reloaded.host.test", "DNS:reloaded.host.test");
        var before = ServerSignatures;

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr, ott = Pki.Provisioner.SignToken("reloaded.host.test") });

        var issued = await response.ShouldBeIssuedAsync();
        OpenSsl.Verify(Pki.Path("certs", "root_ca.crt"), _intermediatePath, openssl.Save(issued.CrtPem, "leaf.crt")).ExitCode.Should().Be(0);
        ServerSignatures.Should().BeGreaterThan(before);
        string.Join("\n", Pki.Log.Lines).Should().NotContain("client-secret=").And.NotContain("PRIVATE KEY");
    }

    private X509Certificate2 IssueIntermediate(ReadOnlyMemory<byte> spki)
    {
        using var rootKey = PemPrivateKeyReader.Parse(File.ReadAllText(Fixtures.Path("pki", "secrets", "root_ca_key")), ServedPki.FixturePassword);
        using var root = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "root_ca.crt"));
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(spki.Span, out _);
        var request = new CertificateRequest(new X500DistinguishedName("CN=KMS Intermediate CA, O=Smallstep.Pki tests"), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var now = DateTimeOffset.UtcNow;
        return request.Create(root.SubjectName, new SignerSignatureGenerator(rootKey.Signer), now.AddMinutes(-5), now.AddDays(30), RandomNumberGenerator.GetBytes(16));
    }

    [Test]
    public async Task A_missing_key_stops_the_start_naming_the_field_and_the_service_reason()
    {
        var start = async () => await ServedPki.StartFixtureCopyAsync(config =>
        {
            config["crt"] = _intermediatePath;
            config["key"] = MissingKey.KeyName;
            config.Remove("ssh");
            config["kms"] = KmsBlock();
        });

        var error = (await start.Should().ThrowAsync<Smallstep.Pki.Configuration.CaConfigException>()).Which;
        error.Message.Should().Contain("key").And.Contain(MissingKey.Reason);
    }

    // ssh-keygen converts the PKCS#8 public key into the OpenSSH line ssh-keygen -l fingerprints.
    private string OpenSshPublicKey(ReadOnlyMemory<byte> spki, string name)
    {
        var pem = Path.Combine(_work.Path, name + ".pem");
        File.WriteAllText(pem, PemEncoding.WriteString("PUBLIC KEY", spki.Span) + "\n");
        var line = ExternalTool.RunChecked("ssh-keygen", "-i", "-m", "PKCS8", "-f", pem);
        var pub = Path.Combine(_work.Path, name + ".pub");
        File.WriteAllText(pub, line.Trim() + " " + name + "\n");
        return pub;
    }
}
