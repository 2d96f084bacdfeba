using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.StepCli;

namespace Smallstep.Pki.Tests.Host.X5c;

/// <summary>
/// The step CLI against the host with an X5C provisioner trusting the CA's own root:
/// <c>step ca certificate --x5c-cert --x5c-key</c> with a certificate the JWK provisioner issued,
/// <c>step ssh certificate --x5c-cert</c>, <c>step ca renew</c> of X5C certificates, <c>step ca revoke
/// --token</c> with an X5C revoke token made here, and <c>/rekey</c> over mTLS for X5C and JWK
/// certificates (the step CLI built here, 0.15, has no <c>ca rekey</c> nor <c>ca revoke --x5c-cert</c>).
/// </summary>
public sealed class StepCaX5cTests : StepCliTests
{
    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync(X5cHostConfig.AddProvisioner);

    private (string Crt, string Key) IssueByJwk(string subject, string notAfter = "2h")
    {
        var (crt, key) = (Step.NewPath(subject + ".crt"), Step.NewPath(subject + ".key"));
        Step.Run("ca", "certificate", subject, crt, key, "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile, "--not-after", notAfter)
            .ShouldSucceed();
        return (crt, key);
    }

    private (string Crt, string Key) IssueByX5c(string subject, (string Crt, string Key) credential)
    {
        var (crt, key) = (Step.NewPath(subject + ".crt"), Step.NewPath(subject + ".key"));
        Step.Run("ca", "certificate", subject, crt, key, "--provisioner", X5cHostConfig.Provisioner, "--x5c-cert", credential.Crt, "--x5c-key", credential.Key)
            .ShouldSucceed();
        return (crt, key);
    }

    [Test]
    public void Step_ca_certificate_with_x5c_cert_is_issued_by_the_x5c_provisioner_until_the_credential_expires()
    {
        var credential = IssueByJwk("credential.step.test", "2h");

        var child = IssueByX5c("child.step.test", credential);

        using var parent = StepIssued.Read(credential.Crt, Pki);
        using var issued = StepIssued.Read(child.Crt, Pki);
        issued.DnsNames.Should().Equal("child.step.test");
        ProvisionerExtension.Read(issued.Leaf)!.Value.Name.Should().Be(X5cHostConfig.Provisioner);
        ProvisionerExtension.Read(issued.Leaf)!.Value.TypeCode.Should().Be(7);
        // step asks for the 24 h default; the credential ends in 2 h.
        issued.Validity.NotAfter.Should().Be(parent.Validity.NotAfter);
    }

    [Test]
    public void Step_ca_renew_renews_an_x5c_certificate_over_mtls()
    {
        var child = IssueByX5c("renew-x5c.step.test", IssueByJwk("renew-credential.step.test"));
        using var original = StepIssued.Read(child.Crt, Pki);

        Step.Run("ca", "renew", child.Crt, child.Key, "--force").ShouldSucceed();

        using var renewed = StepIssued.Read(child.Crt, Pki);
        renewed.SerialDecimal.Should().NotBe(original.SerialDecimal);
        ProvisionerExtension.Read(renewed.Leaf)!.Value.Name.Should().Be(X5cHostConfig.Provisioner);
        (renewed.Validity.NotAfter - renewed.Validity.NotBefore).Should().Be(original.Validity.NotAfter - original.Validity.NotBefore);
    }

    [Test]
    public async Task A_renew_token_renews_an_x5c_certificate_without_mtls()
    {
        var child = IssueByX5c("bearer-x5c.step.test", IssueByJwk("bearer-credential.step.test"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/1.0/renew");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", X5cHostConfig.RenewToken(child.Crt, child.Key, "bearer-x5c.step.test"));

        using var response = await Client.SendAsync(request);

        using var leaf = (await response.ShouldBeIssuedAsync()).Leaf;
        leaf.Subject.Should().Be("CN=bearer-x5c.step.test");
        ProvisionerExtension.Read(leaf)!.Value.Name.Should().Be(X5cHostConfig.Provisioner);
    }

    [Test]
    public void Step_ca_revoke_with_an_x5c_token_revokes_the_serial_it_names_and_no_other()
    {
        var credential = IssueByJwk("revoker.step.test");
        var target = IssueByJwk("revoked.step.test");
        string serial;
        using (var issued = StepIssued.Read(target.Crt, Pki))
        {
            serial = issued.SerialDecimal;
        }

        // CVE-2025-66406: a token whose subject is another serial is refused.
        var other = X5cHostConfig.Token(credential.Crt, credential.Key, "1234567", ProvisionerKey.RevokeAudience);
        Step.Run("ca", "revoke", serial, "--token", other).ShouldFail();

        var token = X5cHostConfig.Token(credential.Crt, credential.Key, serial, ProvisionerKey.RevokeAudience);
        Step.Run("ca", "revoke", serial, "--token", token, "--reason", "x5c test")
            .ShouldSucceed().Stderr.Should().Contain($"Certificate with Serial Number {serial} has been revoked.");
        Step.Run("ca", "renew", target.Crt, target.Key, "--force").ShouldFail().Stderr.Should().Contain("error renewing certificate: " + StepResponses.Unauthorized);
    }

    [Test]
    public void A_revoked_certificate_can_no_longer_authorize_x5c_tokens()
    {
        var credential = IssueByJwk("revoked-credential.step.test");
        Step.Run("ca", "revoke", "--cert", credential.Crt, "--key", credential.Key).ShouldSucceed();

        Step.Run("ca", "certificate", "after.step.test", Step.NewPath("after.crt"), Step.NewPath("after.key"), "--provisioner", X5cHostConfig.Provisioner,
            "--x5c-cert", credential.Crt, "--x5c-key", credential.Key).ShouldFail().Stderr.Should().Contain(StepResponses.Unauthorized);
    }

    [Test]
    public void Step_ssh_certificate_with_x5c_cert_gets_a_user_certificate()
    {
        var credential = IssueByJwk("ssh-credential.step.test");
        var keyPath = Step.NewPath("id_ecdsa");

        Step.Run("ssh", "certificate", "alice@step.test", keyPath, "--provisioner", X5cHostConfig.Provisioner, "--x5c-cert", credential.Crt,
            "--x5c-key", credential.Key, "--principal", "alice", "--no-password", "--insecure").ShouldSucceed();

        var inspected = Step.Run("ssh", "inspect", keyPath + "-cert.pub").ShouldSucceed().Stdout;
        inspected.Should().Contain("user certificate").And.Contain("alice@step.test").And.Contain("alice");
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Rekey_over_mtls_reissues_an_x5c_or_jwk_certificate_for_the_new_key(bool byX5c)
    {
        var credential = IssueByJwk(byX5c ? "rekey-credential.step.test" : "rekey-jwk.step.test");
        var (crt, key) = byX5c ? IssueByX5c("rekey-x5c.step.test", credential) : credential;
        using var client = X509Certificate2.CreateFromPemFile(crt, key);
        using var http = Pki.CreateClient(client);
        using var newKey = new ClientKey();

        using var response = await http.PostJsonAsync("/rekey", new { csr = newKey.CsrPem("ignored.step.test") });

        var issued = await response.ShouldBeIssuedAsync();
        using var leaf = issued.Leaf;
        leaf.PublicKey.ExportSubjectPublicKeyInfo().Should().Equal(newKey.Key.ExportSubjectPublicKeyInfo());
        leaf.Subject.Should().Be(client.Subject);
        ProvisionerExtension.Read(leaf)!.Value.Name.Should().Be(byX5c ? X5cHostConfig.Provisioner : Provisioner);
    }
}
