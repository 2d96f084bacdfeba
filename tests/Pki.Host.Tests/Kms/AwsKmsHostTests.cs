using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Aws;
using Smallstep.Pki.TestServers.AwsKms;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.Ssh;

namespace Smallstep.Pki.Tests.Host.Kms;

/// <summary>
/// The host serving the fixture PKI with its intermediate and SSH CA keys in AWS KMS (the local
/// AWS KMS server: HTTPS, SigV4 checked), as the configuration seed's awskms recipe sets it up:
/// keys made through the key manager (as <c>step kms create</c>), the intermediate certificate
/// signed by the fixture's soft root, ca.json's <c>key</c>, <c>ssh.userKey</c>, <c>ssh.hostKey</c>
/// as <c>awskms:key-id=…</c> and a <c>kms</c> block naming a credentials file. Once with an EC
/// P-256 intermediate, once with an RSA 3072 one (leaves signed RSASSA-PKCS1-v1_5 SHA-256).
/// </summary>
[TestFixture("EcdsaP256")]
[TestFixture("Rsa")]
public sealed class AwsKmsHostTests(string intermediateAlgorithm)
{
    private const string AccessKeyId = "AKIAHOSTTESTEXAMPLE1";
    private const string SecretAccessKey = "host-test-secret/0123456789abcdefghijklmn";

    private LocalAwsKmsServer _kms = null!;
    private TemporaryDirectory _work = null!;
    private ServedPki _pki = null!;
    private HttpClient _client = null!;
    private OpenSsl _openssl = null!;
    private SshKeygenTool _keygen = null!;
    private string _intermediatePath = null!;
    private string _credentialsFile = null!;
    private CreatedKey _userKey = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        ExternalTool.Require("openssl", "openssl");
        ExternalTool.Require("ssh-keygen", "openssh-client");
        _kms = await LocalAwsKmsServer.StartAsync(AccessKeyId, SecretAccessKey);
        _work = new TemporaryDirectory();
        _openssl = new OpenSsl(_work.Path);
        _keygen = new SshKeygenTool(_work.Path);
        _credentialsFile = _kms.WriteCredentialsFile(_work.Path, "step-ca");
        var kmsUri = $"awskms:region={_kms.Region};profile=step-ca;credentials-file={_credentialsFile}";
        await using var manager = AwsKeyManager.Create(new KmsConfig { Type = "awskms", Uri = kmsUri }, new AwsKmsOptions());
        var intermediate = await manager.CreateKeyAsync(new CreateKeyRequest("intermediate-ca", new KeyAlgorithm(intermediateAlgorithm), 3072));
        _userKey = await manager.CreateKeyAsync(new CreateKeyRequest("ssh-user-ca", KeyAlgorithm.EcdsaP256));
        var hostKey = await manager.CreateKeyAsync(new CreateKeyRequest("ssh-host-ca", KeyAlgorithm.EcdsaP384));
        _intermediatePath = Path.Combine(_work.Path, "intermediate_ca.crt");
        await File.WriteAllTextAsync(_intermediatePath, SignIntermediate(intermediate.SubjectPublicKeyInfo));

        _pki = await ServedPki.StartFixtureCopyAsync(config =>
        {
            config["crt"] = _intermediatePath;
            config["key"] = intermediate.KeyUri;
            config["kms"] = new JsonObject { ["type"] = "awskms", ["uri"] = kmsUri };
            config["ssh"]!["userKey"] = _userKey.KeyUri;
            config["ssh"]!["hostKey"] = hostKey.KeyUri;
        });
        _client = _pki.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client?.Dispose();
        if (_pki is not null)
        {
            await _pki.DisposeAsync();
        }
        await _kms.DisposeAsync();
        _work.Dispose();
    }

    [Test]
    public async Task Issues_a_certificate_that_openssl_verifies_signed_in_AWS_KMS_and_keeps_signing_after_a_reload()
    {
        await IssueAndVerifyAsync("kms.host.test");
        var openedBefore = _kms.Requests.Count(r => r.Operation == "GetPublicKey");

        await _pki.Server.ReloadAsync();

        _kms.Requests.Count(r => r.Operation == "GetPublicKey").Should().Be(openedBefore + 3, "the reload opened key, ssh.userKey and ssh.hostKey again through a new awskms manager");
        await IssueAndVerifyAsync("after-reload.host.test");
    }

    [Test]
    public async Task SSH_user_and_host_certificates_are_signed_by_the_KMS_keys()
    {
        var key = _keygen.NewKey();
        var userToken = SshTokens.Sign(_pki.Provisioner, "alice@host.test", new { certType = "user", keyID = "alice@host.test", principals = new[] { "alice" } });
        using var user = await _client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(key), ott = userToken, certType = "user", principals = new[] { "alice" } });
        var hostToken = SshTokens.Sign(_pki.Provisioner, "web.host.test", new { certType = "host", principals = new[] { "web.host.test" } });
        using var host = await _client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(key), ott = hostToken, certType = "host" });

        ((int)user.StatusCode).Should().Be(201, await user.Content.ReadAsStringAsync());
        ((int)host.StatusCode).Should().Be(201, await host.Content.ReadAsStringAsync());
        var userListing = _keygen.List(Crt(await user.Content.ReadAsStringAsync()), "ssh-ed25519-cert-v01@openssh.com");
        userListing.Should().Contain("user certificate").And.Contain("Signing CA: ECDSA " + SshFingerprint(_userKey.SubjectPublicKeyInfo));
        var hostListing = _keygen.List(Crt(await host.Content.ReadAsStringAsync()), "ssh-ed25519-cert-v01@openssh.com");
        hostListing.Should().Contain("host certificate").And.Contain("ecdsa-sha2-nistp384");
        _kms.Requests.Where(r => r.Operation == "Sign").Select(r => r.SigningAlgorithm).Should().Contain(["ECDSA_SHA_256", "ECDSA_SHA_384"]);
    }

    [Test]
    public async Task A_key_missing_from_KMS_stops_the_start_naming_the_field_and_AWSs_reason()
    {
        var start = async () => await ServedPki.StartFixtureCopyAsync(config =>
        {
            config["crt"] = _intermediatePath;
            config["key"] = "awskms:key-id=alias/intermediate-ca-gone";
            config["kms"] = new JsonObject { ["type"] = "awskms", ["credentialsFile"] = _credentialsFile, ["profile"] = "step-ca" };
        });

        var error = (await start.Should().ThrowAsync<CaConfigException>()).Which;
        error.Message.Should().Contain("key").And.Contain("NotFoundException").And.Contain("alias/intermediate-ca-gone");
    }

    [Test]
    public async Task Wrong_credentials_stop_the_start_with_AWSs_reason_and_no_secret()
    {
        var directory = Path.Combine(_work.Path, "wrong");
        Directory.CreateDirectory(directory);
        var file = _kms.WriteCredentialsFile(directory, "step-ca", "wrong-secret-value-0123456789");

        var start = async () => await ServedPki.StartFixtureCopyAsync(config =>
        {
            config["crt"] = _intermediatePath;
            config["key"] = "awskms:key-id=alias/whatever";
            config["kms"] = new JsonObject { ["type"] = "awskms", ["uri"] = $"awskms:profile=step-ca;credentials-file={file}" };
        });

        var error = (await start.Should().ThrowAsync<CaConfigException>()).Which;
        error.Message.Should().Contain("key").And.Contain("InvalidSignatureException").And.NotContain("wrong-secret-value").And.NotContain(SecretAccessKey);
    }

    private async Task IssueAndVerifyAsync(string commonName)
    {
        var signsBefore = _kms.Requests.Count(r => r.Operation == "Sign");
        var csr = _openssl.Csr(_openssl.NewKey(OpenSslKeyType.EcP256), commonName, "DNS:" + commonName);
        using var response = await _client.PostJsonAsync("/1.0/sign", new { csr, ott = _pki.Provisioner.SignToken(commonName, [commonName]) });

        var issued = await response.ShouldBeIssuedAsync();
        var verify = OpenSsl.Verify(Fixtures.Path("pki", "certs", "root_ca.crt"), _intermediatePath, _openssl.Save(issued.CrtPem, "leaf.crt"));
        verify.ExitCode.Should().Be(0, verify.Stderr + verify.Stdout);
        var sign = _kms.Requests.Where(r => r.Operation == "Sign").ToList();
        sign.Should().HaveCount(signsBefore + 1, "the leaf was signed by one Sign call to AWS KMS");
        sign[^1].SigningAlgorithm.Should().Be(intermediateAlgorithm == "Rsa" ? "RSASSA_PKCS1_V1_5_SHA_256" : "ECDSA_SHA_256");
        using var leaf = issued.Leaf;
        leaf.SignatureAlgorithm.Value.Should().Be(intermediateAlgorithm == "Rsa" ? "1.2.840.113549.1.1.11" : "1.2.840.10045.4.3.2");
    }

    private static string Crt(string body) => JsonDocument.Parse(body).RootElement.GetProperty("crt").GetString()!;

    /// <summary>The intermediate CA certificate for the KMS key, signed by the fixture's root key (decrypted with openssl), as step certificate create --profile intermediate-ca does.</summary>
    private static string SignIntermediate(ReadOnlyMemory<byte> subjectPublicKeyInfo)
    {
        using var root = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "root_ca.crt"));
        using var rootKey = ECDsa.Create();
        rootKey.ImportFromPem(ExternalTool.RunChecked("openssl", "ec", "-in", Fixtures.Path("pki", "secrets", "root_ca_key"), "-passin", "pass:" + ServedPki.FixturePassword));
        var request = new CertificateRequest(new X500DistinguishedName("CN=Fixture AWS KMS Intermediate CA"), PublicKey.CreateFromSubjectPublicKeyInfo(subjectPublicKeyInfo.Span, out _), HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), serial);
        return certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>The OpenSSH SHA256 fingerprint of a public key, via ssh-keygen's PKCS#8 import.</summary>
    private string SshFingerprint(ReadOnlyMemory<byte> subjectPublicKeyInfo)
    {
        var pem = _openssl.Save(PemEncoding.WriteString("PUBLIC KEY", subjectPublicKeyInfo.Span), "user-ca.pem");
        var openSsh = ExternalTool.RunChecked("ssh-keygen", "-i", "-m", "PKCS8", "-f", pem);
        var path = _openssl.Save(openSsh, "user-ca.pub");
        return SshKeygenTool.Fingerprint(path);
    }
}
