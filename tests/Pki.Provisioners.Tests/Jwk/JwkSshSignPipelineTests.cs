using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Policy;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Tests.Jwk;

/// <summary>
/// The SSH sign pipeline with the real JWK provisioner and SSH authority over the step-ca fixture:
/// step-ca's own requests give step-ca's certificates, and every refusal burns and stores nothing.
/// </summary>
public sealed class JwkSshSignPipelineTests
{
    private static readonly SshPublicKey UserKey = SshPublicKey.ParseAuthorizedKey(Fixtures.Text("issued", "ssh-user-key.pub"));

    private static (SshSignRequest Request, DateTimeOffset IssuedAt) FixtureRequest(string file)
    {
        using var body = JsonDocument.Parse(Fixtures.Text("issued", file));
        var root = body.RootElement;
        var token = root.GetProperty("ott").GetString()!;
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var iat = JsonDocument.Parse(Convert.FromBase64String(payload + new string('=', (4 - payload.Length % 4) % 4))).RootElement.GetProperty("iat").GetInt64();
        var options = new SshSignOptions
        {
            CertType = root.GetProperty("certType").GetString()!,
            KeyId = root.GetProperty("keyID").GetString()!,
            Principals = root.GetProperty("principals").EnumerateArray().Select(p => p.GetString()!).ToList(),
        };
        var key = SshPublicKey.Parse(Convert.FromBase64String(root.GetProperty("publicKey").GetString()!));
        return (new SshSignRequest(key, token, options), DateTimeOffset.FromUnixTimeSeconds(iat));
    }

    private static SshCertificateDescription StepCaCertificate(string file)
    {
        // The certificate step-ca 0.19 returned for the same request, read with our parser of its fields.
        using var response = JsonDocument.Parse(Fixtures.Text("issued", file));
        return SshCertificateDecoder.Read(Convert.FromBase64String(response.RootElement.GetProperty("crt").GetString()!));
    }

    [TestCase("ssh-sign-request.json", "ssh-sign-response.json")]
    [TestCase("ssh-sign-host-request.json", "ssh-sign-host-response.json")]
    public async Task Step_ca_requests_give_step_ca_certificates(string requestFile, string responseFile)
    {
        using var ca = new FixtureSshAuthority();
        var (request, iat) = FixtureRequest(requestFile);
        ca.Clock.Now = iat.AddSeconds(1);

        var signed = (await ca.Authority.SignAsync(request)).Certificate.Description;

        var expected = StepCaCertificate(responseFile);
        signed.Type.Should().Be(expected.Type);
        signed.KeyId.Should().Be(expected.KeyId);
        signed.Principals.Should().Equal(expected.Principals);
        signed.Extensions.Should().BeEquivalentTo(expected.Extensions);
        signed.CriticalOptions.Should().BeEmpty();
        // step-ca answered one second after iat too: its window is the same to the second.
        (signed.ValidBefore - signed.ValidAfter).Should().Be(expected.ValidBefore - expected.ValidAfter);
        signed.ValidAfter.Should().Be(ca.Clock.Now.AddMinutes(-1));
        (await ca.Store.ListAsync(StepTables.SshCerts).CountAsync()).Should().Be(1);
        (await ca.Store.ListAsync(StepTables.UsedOtt).CountAsync()).Should().Be(1);
        (await ca.Store.ListAsync(expected.Type == SshCertificateType.Host ? StepTables.SshHostPrincipals : StepTables.SshUsers).CountAsync()).Should().Be(2);
    }

    [Test]
    public async Task A_token_is_used_once()
    {
        using var ca = new FixtureSshAuthority();
        var (request, iat) = FixtureRequest("ssh-sign-request.json");
        ca.Clock.Now = iat.AddSeconds(1);
        await ca.Authority.SignAsync(request);

        var again = async () => await ca.Authority.SignAsync(request);

        (await again.Should().ThrowAsync<PkiException>()).Which.Message.Should().Be("token already used");
        (await ca.Store.ListAsync(StepTables.SshCerts).CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task Request_principals_outside_the_token_are_forbidden_and_nothing_is_burned()
    {
        using var ca = new FixtureSshAuthority();
        var token = ca.Token("alice@fixture.test", """{"certType":"user","principals":["alice"]}""");

        var act = async () => await ca.Authority.SignAsync(new SshSignRequest(UserKey, token, new SshSignOptions { CertType = "user", Principals = ["alice", "root"] }));

        var refusal = (await act.Should().ThrowAsync<PkiException>()).Which;
        refusal.Kind.Should().Be(PkiErrorKind.Forbidden);
        refusal.Message.Should().Be("ssh certificate principals does not match - got [alice root], want [alice]");
        (await ca.Store.ListAsync(StepTables.UsedOtt).CountAsync()).Should().Be(0);
        (await ca.Store.ListAsync(StepTables.SshCerts).CountAsync()).Should().Be(0);
    }

    [Test]
    public async Task A_request_type_other_than_the_tokens_is_forbidden_and_the_cert_follows_the_token()
    {
        using var ca = new FixtureSshAuthority();
        var mismatch = async () => await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("h", """{"certType":"host"}"""), new SshSignOptions { CertType = "user" }));
        (await mismatch.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Forbidden);

        // Request principals are a subset check only: the certificate carries the token's.
        var signed = await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("bob", """{"principals":["bob","Robert"]}"""), new SshSignOptions { Principals = ["robert"] }));

        signed.Certificate.Description.Principals.Should().Equal("bob", "Robert");
        signed.Certificate.Description.KeyId.Should().Be("bob");
        signed.Certificate.Description.Type.Should().Be(SshCertificateType.User);
    }

    [Test]
    public async Task Without_enableSSHCA_the_provisioner_refuses_with_401()
    {
        using var ca = new FixtureSshAuthority(entry => entry.Remove("claims"));

        var act = async () => await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("alice", "{}"), new SshSignOptions()));

        var refusal = (await act.Should().ThrowAsync<PkiException>()).Which;
        refusal.Kind.Should().Be(PkiErrorKind.Unauthorized);
        refusal.Message.Should().Be("jwk.AuthorizeSSHSign; sshCA is disabled for jwk provisioner 'fixture-admin'");
    }

    [Test]
    public async Task A_token_without_step_ssh_is_not_an_ssh_token()
    {
        using var ca = new FixtureSshAuthority();
        var token = new Smallstep.Pki.Provisioners.Jose.TokenSigner(ca.ProvisionerKey, timeProvider: ca.Clock)
            .Sign(new() { Issuer = "fixture-admin", Subject = "alice", Audience = ["https://127.0.0.1/1.0/ssh/sign"] });

        var act = async () => await ca.Authority.SignAsync(new SshSignRequest(UserKey, token, new SshSignOptions()));

        (await act.Should().ThrowAsync<PkiException>()).Which.Message.Should().Be("jwk.AuthorizeSSHSign; jwk token must be an SSH provisioning token");
    }

    [Test]
    public async Task Authority_policy_refuses_a_principal_with_403()
    {
        var policy = NamePolicy.Parse(JsonDocument.Parse("""{"ssh": {"user": {"allow": {"principal": ["alice"]}}}}""").RootElement.Clone());
        using var ca = new FixtureSshAuthority(namePolicy: policy);

        var act = async () => await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("root", "{}"), new SshSignOptions()));

        (await act.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Forbidden);
        (await ca.Store.ListAsync(StepTables.UsedOtt).CountAsync()).Should().Be(0);
        (await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("alice", "{}"), new SshSignOptions()))).Certificate.Description.Principals.Should().Equal("alice");
    }

    [Test]
    public async Task Provisioner_policy_with_only_user_rules_refuses_host_certificates()
    {
        using var ca = new FixtureSshAuthority(entry => entry["policy"] = JsonNode.Parse("""{"ssh": {"user": {"allow": {"principal": ["*"]}}}}"""));

        var host = async () => await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("h.example", """{"certType":"host"}"""), new SshSignOptions()));

        var refusal = (await host.Should().ThrowAsync<PkiException>()).Which;
        refusal.Kind.Should().Be(PkiErrorKind.Forbidden);
        refusal.Message.Should().Be("SSH host certificate not authorized");
    }

    [Test]
    public async Task A_custom_template_sets_critical_options_from_token_and_request_data()
    {
        const string Template = """
            {
                "type": {{ toJson .Type }},
                "keyId": {{ toJson .KeyID }},
                "principals": {{ toJson .Principals }},
                "extensions": {{ toJson .Extensions }},
                "criticalOptions": {"force-command": "echo {{ .Token.sub }} {{ .Insecure.User.reason }}", "source-address": {{ toJson .sourceAddress }}}
            }
            """;
        using var ca = new FixtureSshAuthority(entry => entry["options"] = new JsonObject
        {
            ["ssh"] = new JsonObject { ["template"] = Template, ["templateData"] = new JsonObject { ["sourceAddress"] = "10.0.0.0/8" } },
        });
        var userData = JsonDocument.Parse("""{"reason": "deploy\"}"}""").RootElement.Clone();

        var signed = await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("alice", "{}"), new SshSignOptions { TemplateData = userData }));

        // The request's quote is escaped inside the JSON string: it cannot add members.
        signed.Certificate.Description.CriticalOptions.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["force-command"] = "echo alice deploy\"}",
            ["source-address"] = "10.0.0.0/8",
        });
    }

    [TestCase("48h", "greater than maximum")]
    [TestCase("1m", "less than minimum")]
    public async Task Validity_outside_the_claims_is_forbidden(string validBefore, string reason)
    {
        using var ca = new FixtureSshAuthority();

        var act = async () => await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("alice", "{}"), new SshSignOptions { ValidBefore = TimeDuration.Parse(validBefore) }));

        var refusal = (await act.Should().ThrowAsync<PkiException>()).Which;
        refusal.Kind.Should().Be(PkiErrorKind.Forbidden);
        refusal.Message.Should().Contain(reason);
    }

    [Test]
    public async Task Token_validity_wins_and_a_contradicting_request_is_forbidden()
    {
        using var ca = new FixtureSshAuthority();
        const string Ssh = """{"validAfter":"2026-11-22T14:00:00Z","validBefore":"2026-11-22T18:00:00Z"}""";

        var signed = await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("alice", Ssh), new SshSignOptions()));
        var contradicting = async () => await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("alice", Ssh), new SshSignOptions { ValidBefore = TimeDuration.Parse("2h") }));

        signed.Certificate.Description.ValidAfter.Should().Be(DateTimeOffset.Parse("2026-11-22T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        signed.Certificate.Description.ValidBefore.Should().Be(DateTimeOffset.Parse("2026-11-22T18:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        (await contradicting.Should().ThrowAsync<PkiException>()).Which.Message.Should().Be("ssh certificate validBefore does not match");
    }

    [Test]
    public async Task An_add_user_certificate_runs_the_add_user_command_for_the_single_principal()
    {
        using var ca = new FixtureSshAuthority();

        var result = await ca.Authority.SignAsync(new SshSignRequest(UserKey, ca.Token("alice", "{}"), new SshSignOptions(), AddUserPublicKey: UserKey));

        var addUser = result.AddUserCertificate!.Description;
        addUser.KeyId.Should().Be("alice-provisioner");
        addUser.Principals.Should().Equal("provisioner");
        addUser.CriticalOptions.Should().Equal(new Dictionary<string, string> { ["force-command"] = "sudo useradd -m alice; nc -q0 localhost 22" });
        addUser.Extensions.Should().BeEmpty();
        (addUser.ValidAfter, addUser.ValidBefore).Should().Be((result.Certificate.Description.ValidAfter, result.Certificate.Description.ValidBefore));
        (await ca.Store.ListAsync(StepTables.SshCerts).CountAsync()).Should().Be(2);
    }

    [Test]
    public async Task A_disabled_authority_answers_not_implemented()
    {
        using var fixture = new FixtureSshAuthority();
        var disabled = new SshAuthority(new SshAuthorityOptions { Audiences = new Provisioning.Audiences(["localhost"]) },
            fixture.Catalog, new Storage.Authority.KeyValueSshCertificateStore(new Storage.Memory.MemoryKeyValueStore(StepTables.Authority)),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<SshAuthority>.Instance);

        var act = async () => await disabled.SignAsync(new SshSignRequest(UserKey, "x.y.z", new SshSignOptions()));

        var refusal = (await act.Should().ThrowAsync<PkiException>()).Which;
        refusal.Kind.Should().Be(PkiErrorKind.NotImplemented);
        refusal.Message.Should().Be("authority.Authorize; ssh certificate flows are not enabled");
    }
}
