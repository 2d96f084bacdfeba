using Smallstep.Pki.Errors;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>
/// Renders step's SSH templates, signs certificates with each CA key type for each subject key
/// type, and has OpenSSH's ssh-keygen (which verifies the CA signature while parsing) read them back.
/// </summary>
public sealed class SshCertificateSigningTests
{
    private static readonly DateTimeOffset After = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private static readonly DateTimeOffset Before = After.AddHours(16);
    private SshKeygen keygen = null!;

    [SetUp]
    public void SetUp() => keygen = new SshKeygen();

    [TearDown]
    public void TearDown() => keygen.Dispose();

    [TestCase("ecdsa-p256", "ed25519", 0, "ECDSA", "ecdsa-sha2-nistp256")]
    [TestCase("ecdsa-p384", "ecdsa", 256, "ECDSA", "ecdsa-sha2-nistp384")]
    [TestCase("ecdsa-p521", "ecdsa", 384, "ECDSA", "ecdsa-sha2-nistp521")]
    [TestCase("ed25519", "ecdsa", 521, "ED25519", "ssh-ed25519")]
    [TestCase("rsa-sha256", "rsa", 2048, "RSA", "rsa-sha2-256")]
    [TestCase("rsa-sha512", "ed25519", 0, "RSA", "rsa-sha2-512")]
    public async Task Default_user_certificates_are_accepted_by_openssh(string ca, string keyType, int bits, string caKind, string algorithm)
    {
        using var signer = SshTestSigner.Create(ca);
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey(keyType, bits));
        var data = new SshTemplateData(SshCertificateType.User, "alice@example.com", ["alice", "alice@example.com"]);

        var certificate = await Sign(SshTemplates.Default, data, subject, signer);
        var listing = keygen.List(certificate.ToAuthorizedKey());

        listing.Type.Should().Be(subject.CertificateType + " user certificate");
        listing.KeyId.Should().Be("alice@example.com");
        listing.Serial.Should().Be(certificate.Description.Serial).And.NotBe(0);
        listing.Valid.Should().Be("from 2024-05-06T07:08:09 to 2024-05-06T23:08:09");
        listing.Principals.Should().Equal("alice", "alice@example.com");
        listing.CriticalOptions.Should().BeEmpty();
        listing.Extensions.Should().Equal("permit-X11-forwarding", "permit-agent-forwarding", "permit-port-forwarding", "permit-pty", "permit-user-rc");
        listing.SigningCa.Should().Be($"{caKind} {keygen.Fingerprint(certificate.SigningKey.ToAuthorizedKey())} (using {algorithm})");
        certificate.SigningKey.Fingerprint.Should().Be(keygen.Fingerprint(certificate.SigningKey.ToAuthorizedKey()));
        signer.Signatures.Should().Be(1);
    }

    [Test]
    public async Task Host_certificates_have_no_extensions()
    {
        using var signer = SshTestSigner.Create("ecdsa-p256");
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey("ed25519"));
        var data = new SshTemplateData(SshCertificateType.Host, "i-0123", ["web1.internal", "10.0.0.5"]);

        var listing = keygen.List((await Sign(SshTemplates.Default, data, subject, signer)).ToAuthorizedKey());

        listing.Type.Should().Be("ssh-ed25519-cert-v01@openssh.com host certificate");
        listing.Principals.Should().Equal("web1.internal", "10.0.0.5");
        listing.Extensions.Should().BeEmpty();
        listing.CriticalOptions.Should().BeEmpty();
    }

    [Test]
    public async Task Critical_options_from_a_custom_template_are_sorted_and_wrapped()
    {
        const string Template = """
            {
              "type": {{ toJson .Type }},
              "keyId": {{ toJson .KeyID }},
              "principals": {{ toJson .Principals }},
              "criticalOptions": {"source-address": "10.0.0.0/8,192.168.1.1", "force-command": {{ toJson .Insecure.User.command }}},
              "extensions": {{ toJson (set .Extensions "login@example.com" "alice") }}
            }
            """;
        using var signer = SshTestSigner.Create("ed25519");
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey("ecdsa", 256));
        var data = new SshTemplateData(SshCertificateType.User, "alice", ["alice"])
            .SetUserData(new Dictionary<string, object?> { ["command"] = "/usr/bin/backup --now" });

        var listing = keygen.List((await Sign(Template, data, subject, signer)).ToAuthorizedKey());

        listing.CriticalOptions.Should().Equal("force-command /usr/bin/backup --now", "source-address 10.0.0.0/8,192.168.1.1");
        // ssh-keygen shows unknown extension data raw: the string-wrapped "alice".
        listing.Extensions.Should().Equal("login@example.com UNKNOWN OPTION: 00000005616c696365 (len 9)", "permit-X11-forwarding", "permit-agent-forwarding",
            "permit-port-forwarding", "permit-pty", "permit-user-rc");
    }

    [Test]
    public async Task Nonce_serial_and_validity_from_the_template_are_kept()
    {
        const string Template = """{"type":"host","keyId":"h","principals":["h"],"serial":18446744073709551615,"nonce":"AAECAw==","validAfter":"2030-01-01T00:00:00Z","validBefore":"2031-01-01T00:00:00+01:00"}""";
        using var signer = SshTestSigner.Create("ecdsa-p256");
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey("ed25519"));
        var description = SshCertificateDescription.Parse(Template);

        var certificate = await SshCertificateSigner.SignAsync(description, subject, signer);
        var listing = keygen.List(certificate.ToAuthorizedKey());

        listing.Serial.Should().Be(ulong.MaxValue);
        listing.Valid.Should().Be("from 2030-01-01T00:00:00 to 2030-12-31T23:00:00");
        certificate.Description.Nonce.ToArray().Should().Equal(0, 1, 2, 3);
    }

    [Test]
    public async Task Random_nonces_are_32_printable_characters_and_differ()
    {
        using var signer = SshTestSigner.Create("ecdsa-p256");
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey("ed25519"));
        var description = new SshCertificateDescription { Type = SshCertificateType.User, KeyId = "k" };

        var first = await SshCertificateSigner.SignAsync(description, subject, signer);
        var second = await SshCertificateSigner.SignAsync(description, subject, signer);

        first.Description.Nonce.ToArray().Should().HaveCount(32).And.OnlyContain(b => b >= 33 && b <= 126);
        first.Description.Nonce.ToArray().Should().NotEqual(second.Description.Nonce.ToArray());
        first.Description.Serial.Should().NotBe(second.Description.Serial);
    }

    [TestCase(SshTemplates.Admin, "host", new[] { "h1.example.com" }, "host certificate", new string[0])]
    [TestCase(SshTemplates.Admin, "user", new[] { "root" }, "user certificate", new[] { "permit-X11-forwarding", "permit-agent-forwarding", "permit-port-forwarding", "permit-pty", "permit-user-rc" })]
    [TestCase(SshTemplates.CertificateRequest, "user", new[] { "sa" }, "user certificate", new[] { "permit-X11-forwarding", "permit-agent-forwarding", "permit-port-forwarding", "permit-pty", "permit-user-rc" })]
    [TestCase(SshTemplates.CertificateRequest, "host", new[] { "node-1" }, "host certificate", new string[0])]
    public async Task Request_driven_templates_take_the_request(string template, string type, string[] principals, string kind, string[] extensions)
    {
        using var signer = SshTestSigner.Create("ecdsa-p256");
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey("ed25519"));
        var requestType = type == "user" ? SshCertificateType.User : SshCertificateType.Host;
        var data = new SshTemplateData(SshCertificateType.User, "provisioner-id", ["ignored"])
            .SetCertificateRequest(requestType, "requested-id", principals);

        var listing = keygen.List((await Sign(template, data, subject, signer)).ToAuthorizedKey());

        listing.Type.Should().EndWith(kind);
        listing.KeyId.Should().Be("requested-id");
        listing.Principals.Should().Equal(principals);
        listing.Extensions.Should().Equal(extensions);
    }

    [TestCase(new string[0], new[] { "i-1.internal" })]
    [TestCase(new[] { "custom.example.com" }, new[] { "custom.example.com" })]
    public async Task Iid_template_prefers_requested_principals(string[] requested, string[] expected)
    {
        using var signer = SshTestSigner.Create("ecdsa-p256");
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey("ed25519"));
        var data = new SshTemplateData(SshCertificateType.Host, "i-1", ["i-1.internal"])
            .SetCertificateRequest(SshCertificateType.Host, "", requested);

        var listing = keygen.List((await Sign(SshTemplates.Iid, data, subject, signer)).ToAuthorizedKey());

        listing.Principals.Should().Equal(expected);
        listing.KeyId.Should().Be("i-1");
    }

    [Test]
    public async Task A_certificate_without_a_type_is_refused()
    {
        using var signer = SshTestSigner.Create("ecdsa-p256");
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey("ed25519"));
        var act = () => SshCertificateSigner.SignAsync(SshCertificateDescription.Parse("""{"keyId":"x"}"""), subject, signer);
        (await act.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.BadRequest);
        signer.Signatures.Should().Be(0);
    }

    [Test]
    public async Task A_tampered_certificate_is_rejected_by_openssh()
    {
        using var signer = SshTestSigner.Create("ecdsa-p256");
        var subject = SshPublicKey.ParseAuthorizedKey(keygen.GenerateKey("ed25519"));
        var certificate = await Sign(SshTemplates.Default, new SshTemplateData(SshCertificateType.User, "alice", ["alice"]), subject, signer);
        var blob = certificate.Blob.ToArray();
        var keyId = Array.IndexOf(blob, (byte)'a', 100);
        blob[keyId] = (byte)'m';

        keygen.TryList(certificate.Type + " " + Convert.ToBase64String(blob)).ExitCode.Should().NotBe(0);
    }

    private static async Task<SshCertificate> Sign(string template, SshTemplateData data, SshPublicKey subject, SshTestSigner signer)
    {
        var json = GoTemplate.Parse("ssh", template).Render(data.ToTemplateData());
        var description = SshCertificateDescription.Parse(json) with { ValidAfter = After, ValidBefore = Before };
        return await SshCertificateSigner.SignAsync(description, subject, signer);
    }
}
