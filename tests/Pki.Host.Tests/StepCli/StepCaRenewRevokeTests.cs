using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// <c>step ca renew</c> (mTLS with the certificate being renewed) and <c>step ca revoke</c> (by a
/// revoke token from <c>step ca token --revoke</c>, and over mTLS with <c>--cert/--key</c>) against
/// the host; a revoked certificate is then refused renewal, and the refusals are what step prints.
/// </summary>
public sealed class StepCaRenewRevokeTests : StepCliTests
{
    private const string Unauthorized = "The request lacked necessary authorization to be completed. Please see the certificate authority logs for more info.";
    private (string Crt, string Key) Issue(string subject, params string[] extra)
    {
        var (crt, key) = (Step.NewPath(subject + ".crt"), Step.NewPath(subject + ".key"));
        Step.Run(["ca", "certificate", subject, crt, key, "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile, .. extra])
            .ShouldSucceed();
        return (crt, key);
    }

    [Test]
    public void Renew_force_replaces_the_file_with_a_new_certificate_of_the_same_key_names_and_lifetime()
    {
        var (crt, key) = Issue("renew.step.test", "--san", "renew.step.test", "--san", "alt.renew.step.test", "--not-after", "2h");
        using var original = StepIssued.Read(crt, Pki);

        var result = Step.Run("ca", "renew", crt, key, "--force").ShouldSucceed();

        result.Stderr.Should().Contain("Your certificate has been saved in " + crt);
        using var renewed = StepIssued.Read(crt, Pki);
        renewed.SerialDecimal.Should().NotBe(original.SerialDecimal);
        renewed.Leaf.Subject.Should().Be(original.Leaf.Subject);
        renewed.DnsNames.Should().BeEquivalentTo(original.DnsNames);
        renewed.Leaf.PublicKey.ExportSubjectPublicKeyInfo().Should().Equal(original.Leaf.PublicKey.ExportSubjectPublicKeyInfo());
        (renewed.Validity.NotAfter - renewed.Validity.NotBefore).Should().Be(original.Validity.NotAfter - original.Validity.NotBefore,
            "a renewal keeps the lifetime");
        renewed.Validity.NotBefore.Should().BeOnOrAfter(original.Validity.NotBefore);
    }

    [Test]
    public void Renew_to_another_file_and_renew_again_with_the_renewed_certificate()
    {
        var (crt, key) = Issue("chain.step.test");
        var (first, second) = (Step.NewPath("first.crt"), Step.NewPath("second.crt"));

        Step.Run("ca", "renew", crt, key, "--out", first).ShouldSucceed();
        Step.Run("ca", "renew", first, key, "--out", second).ShouldSucceed();

        using var original = StepIssued.Read(crt, Pki);
        using var once = StepIssued.Read(first, Pki);
        using var twice = StepIssued.Read(second, Pki);
        new[] { original.SerialDecimal, once.SerialDecimal, twice.SerialDecimal }.Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Renew_without_force_before_expires_in_leaves_the_certificate_alone()
    {
        var (crt, key) = Issue("early.step.test");
        var before = File.ReadAllBytes(crt);

        var result = Step.Run("ca", "renew", crt, key, "--expires-in", "1h").ShouldSucceed();

        result.Stderr.Should().Contain("certificate not renewed: expires in");
        File.ReadAllBytes(crt).Should().Equal(before);
    }

    [Test]
    public void Renew_of_an_expired_certificate_is_refused_by_step_before_it_calls_the_ca()
    {
        // A leaf the real step-ca issued from this PKI on 2026-11-22, valid 24 h: expired now.
        var (crt, key) = (Step.NewPath("expired.crt"), Step.NewPath("expired.key"));
        File.Copy(Fixtures.Path("issued", "ec-p256.crt"), crt);
        File.Copy(Fixtures.Path("issued", "ec-p256.key"), key);
        using (var fixture = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(crt))
        {
            if (fixture.NotAfter.ToUniversalTime() > DateTime.UtcNow)
            {
                Assert.Ignore($"the fixture leaf is valid until {fixture.NotAfter:O}; this machine's clock is before that");
            }
        }

        var result = Step.Run("ca", "renew", crt, key, "--force").ShouldFail();

        result.Stderr.Should().Contain("cannot renew an expired certificate");
        File.ReadAllBytes(crt).Should().Equal(File.ReadAllBytes(Fixtures.Path("issued", "ec-p256.crt")));
    }

    [Test]
    public void Renew_of_a_certificate_not_yet_valid_is_refused()
    {
        var (crt, key) = Issue("future.step.test", "--not-before", "1h", "--not-after", "3h");
        var before = File.ReadAllBytes(crt);

        // Like step-ca (Go's VerifyClientCertIfGiven checks the validity), the TLS handshake refuses the
        // client certificate, so step reports a failed POST rather than a CA error.
        var result = Step.Run("ca", "renew", crt, key, "--force").ShouldFail();

        result.Stderr.Should().Contain("error renewing certificate").And.Contain("/renew");
        File.ReadAllBytes(crt).Should().Equal(before);
    }

    [Test]
    public void Revoke_by_token_then_renew_is_refused()
    {
        var (crt, key) = Issue("revoke-token.step.test");
        string serial;
        using (var issued = StepIssued.Read(crt, Pki))
        {
            serial = issued.SerialDecimal;
        }
        var token = Step.Run("ca", "token", serial, "--revoke", "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile)
            .ShouldSucceed().Stdout.Trim();

        Step.Run("ca", "revoke", serial, "--token", token, "--reason", "step cli test", "--reasonCode", "1")
            .ShouldSucceed().Stderr.Should().Contain($"Certificate with Serial Number {serial} has been revoked.");

        Step.Run("ca", "renew", crt, key, "--force").ShouldFail().Stderr.Should().Contain("error renewing certificate: " + Unauthorized);
    }

    // step-ca 0.19 api/revoke.go authorizes the token first (Authority.Authorize with RevokeMethod ->
    // authorizeRevoke -> authorizeToken -> UseToken), so a replayed revoke token is a 401 "token already
    // used" before the revocation is looked at; the host does the same.
    [Test]
    public void A_replayed_revoke_token_is_refused_as_token_reuse()
    {
        var (crt, _) = Issue("revoke-replay.step.test");
        string serial;
        using (var issued = StepIssued.Read(crt, Pki))
        {
            serial = issued.SerialDecimal;
        }
        var token = Step.Run("ca", "token", serial, "--revoke", "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile)
            .ShouldSucceed().Stdout.Trim();
        Step.Run("ca", "revoke", serial, "--token", token).ShouldSucceed();

        var replay = Step.Run("ca", "revoke", serial, "--token", token).ShouldFail();

        replay.Stderr.Should().Contain(Unauthorized);
    }

    [Test]
    public void Revoke_with_cert_and_key_over_mtls_then_renew_and_a_second_revoke_are_refused()
    {
        var (crt, key) = Issue("revoke-mtls.step.test");
        string serial;
        using (var issued = StepIssued.Read(crt, Pki))
        {
            serial = issued.SerialDecimal;
        }

        Step.Run("ca", "revoke", "--cert", crt, "--key", key, "--reason", "superseded", "--reasonCode", "4")
            .ShouldSucceed().Stderr.Should().Contain($"Certificate with Serial Number {serial} has been revoked.");

        Step.Run("ca", "renew", crt, key, "--force").ShouldFail().Stderr.Should().Contain("error renewing certificate: " + Unauthorized);
        Step.Run("ca", "revoke", "--cert", crt, "--key", key).ShouldFail().Stderr
            .Should().Contain($"The request could not be completed: certificate with serial number '{serial}' is already revoked.");
    }
}
