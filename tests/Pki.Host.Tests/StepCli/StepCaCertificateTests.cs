using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// X.509 issuance by the real step CLI with the fixture's JWK provisioner <c>fixture-admin</c>
/// (step decrypts its <c>encryptedKey</c> from <c>/provisioners</c> with
/// <c>--provisioner-password-file</c> and signs the token itself): <c>step ca certificate</c> with and
/// without a token from <c>step ca token</c>, <c>--san</c>, <c>--not-before</c>/<c>--not-after</c>,
/// key types, the claims' maximum refused with the host's message, and <c>step ca sign</c> of a CSR
/// made by <c>step certificate create --csr</c>.
/// </summary>
public sealed class StepCaCertificateTests : StepCliTests
{
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(30);
    [Test]
    public void A_token_from_step_ca_token_gets_a_certificate_chained_to_the_root_for_the_subject()
    {
        var token = Step.Run("ca", "token", "token.step.test", "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile)
            .ShouldSucceed().Stdout.Trim();
        token.Split('.').Should().HaveCount(3, "step prints a compact JWS");
        var (crt, key) = (Step.NewPath("token.crt"), Step.NewPath("token.key"));
        var before = DateTimeOffset.UtcNow;

        Step.Run("ca", "certificate", "token.step.test", crt, key, "--token", token).ShouldSucceed();

        using var issued = StepIssued.Read(crt, Pki);
        issued.Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false).Should().Be("token.step.test");
        issued.DnsNames.Should().Equal("token.step.test");
        var (notBefore, notAfter) = issued.Validity;
        notBefore.Should().BeCloseTo(before - Backdate, ClockSlack, "step-ca backdates by one minute");
        notAfter.Should().BeCloseTo(before + TimeSpan.FromHours(24), ClockSlack, "the default TLS duration is 24 h");
        File.ReadAllText(key).Should().StartWith("-----BEGIN EC PRIVATE KEY-----", "step's default key is EC P-256");
        using var publicKey = issued.Leaf.GetECDsaPublicKey();
        publicKey!.KeySize.Should().Be(256);

        Step.Run("ca", "certificate", "token.step.test", Step.NewPath("again.crt"), Step.NewPath("again.key"), "--token", token)
            .ShouldFail().Stderr.Should().Contain("The request lacked necessary authorization to be completed",
                "a one-time token is refused the second time");
    }

    [Test]
    public void Sans_and_not_after_are_in_the_certificate()
    {
        var (crt, key) = (Step.NewPath("san.crt"), Step.NewPath("san.key"));
        var before = DateTimeOffset.UtcNow;

        var result = Step.Run("ca", "certificate", "san.step.test", crt, key, "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--san", "san.step.test", "--san", "other.step.test",
            "--san", "10.9.8.7", "--not-after", "2h").ShouldSucceed();

        result.Stderr.Should().Contain($"Provisioner: {Provisioner} (JWK)").And.Contain("Certificate: " + crt);
        using var issued = StepIssued.Read(crt, Pki);
        issued.DnsNames.Should().BeEquivalentTo("san.step.test", "other.step.test");
        issued.IpAddresses.Should().Equal(IPAddress.Parse("10.9.8.7"));
        var (notBefore, notAfter) = issued.Validity;
        notAfter.Should().BeCloseTo(before + TimeSpan.FromHours(2), ClockSlack);
        (notAfter - notBefore).Should().BeCloseTo(TimeSpan.FromHours(2) + Backdate, ClockSlack);
    }

    [Test]
    public void Email_uri_and_ipv6_sans_are_in_the_certificate()
    {
        var (crt, key) = (Step.NewPath("mixed.crt"), Step.NewPath("mixed.key"));

        Step.Run("ca", "certificate", "mixed.step.test", crt, key, "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile,
            "--san", "mixed.step.test", "--san", "user@step.test", "--san", "spiffe://step.test/workload", "--san", "2001:db8::1").ShouldSucceed();

        using var issued = StepIssued.Read(crt, Pki);
        issued.DnsNames.Should().Equal("mixed.step.test");
        issued.IpAddresses.Should().Equal(IPAddress.Parse("2001:db8::1"));
        var san = issued.Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        var text = san.Format(multiLine: false);
        text.Should().Contain("user@step.test").And.Contain("spiffe://step.test/workload");
    }

    [Test]
    public void Not_before_in_the_future_is_kept()
    {
        var (crt, key) = (Step.NewPath("later.crt"), Step.NewPath("later.key"));
        var before = DateTimeOffset.UtcNow;

        Step.Run("ca", "certificate", "later.step.test", crt, key, "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--not-before", "1h", "--not-after", "3h").ShouldSucceed();

        using var issued = StepIssued.Read(crt, Pki);
        var (notBefore, notAfter) = issued.Validity;
        notBefore.Should().BeCloseTo(before + TimeSpan.FromHours(1), ClockSlack, "an explicit notBefore is not backdated");
        // step sends both as durations; step-ca counts a relative notAfter from notBefore
        // (TimeDuration.RelativeTime(notBefore) in profileDefaultDuration), so 1h + 3h.
        (notAfter - notBefore).Should().Be(TimeSpan.FromHours(3));
    }

    [Test]
    public void Absolute_rfc3339_not_before_and_not_after_are_kept_to_the_second()
    {
        var (crt, key) = (Step.NewPath("absolute.crt"), Step.NewPath("absolute.key"));
        var now = DateTimeOffset.UtcNow;
        var notBefore = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddMinutes(30);
        var notAfter = notBefore.AddHours(4).AddSeconds(17);

        Step.Run("ca", "certificate", "absolute.step.test", crt, key, "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile,
            "--not-before", notBefore.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            "--not-after", notAfter.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).ShouldSucceed();

        using var issued = StepIssued.Read(crt, Pki);
        issued.Validity.Should().Be((notBefore, notAfter));
    }

    [TestCase("RSA", "--size", "2048")]
    [TestCase("OKP", "--crv", "Ed25519")]
    [TestCase("EC", "--crv", "P-384")]
    public void Other_key_types_step_generates_are_signed(string kty, string option, string value)
    {
        var (crt, key) = (Step.NewPath("kty.crt"), Step.NewPath("kty.key"));

        Step.Run("ca", "certificate", "kty.step.test", crt, key, "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--kty", kty, option, value).ShouldSucceed();

        using var issued = StepIssued.Read(crt, Pki);
        var expectedOid = kty switch { "RSA" => "1.2.840.113549.1.1.1", "OKP" => "1.3.101.112", _ => "1.2.840.10045.2.1" };
        issued.Leaf.PublicKey.Oid.Value.Should().Be(expectedOid);
    }

    [Test]
    public void A_duration_over_the_claims_maximum_is_refused_with_the_hosts_message()
    {
        var (crt, key) = (Step.NewPath("long.crt"), Step.NewPath("long.key"));

        var result = Step.Run("ca", "certificate", "long.step.test", crt, key, "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--not-after", "48h").ShouldFail();

        result.Stderr.Should().Contain("The request was forbidden by the certificate authority: requested duration of 48h1m0s " +
            "is more than the authorized maximum certificate duration of 24h1m0s.");
        File.Exists(crt).Should().BeFalse();
    }

    [Test]
    public void Step_ca_sign_signs_a_csr_made_by_step_certificate_create()
    {
        var (csr, csrKey, crt) = (Step.NewPath("csr.csr"), Step.NewPath("csr.key"), Step.NewPath("csr.crt"));
        Step.Run("certificate", "create", "csr.step.test", csr, csrKey, "--csr", "--no-password", "--insecure",
            "--san", "csr.step.test", "--san", "192.0.2.10").ShouldSucceed();
        var before = DateTimeOffset.UtcNow;

        Step.Run("ca", "sign", csr, crt, "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile,
            "--not-after", "3h").ShouldSucceed();

        using var issued = StepIssued.Read(crt, Pki);
        issued.Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false).Should().Be("csr.step.test");
        issued.DnsNames.Should().Equal("csr.step.test");
        issued.IpAddresses.Should().Equal(IPAddress.Parse("192.0.2.10"));
        issued.Validity.NotAfter.Should().BeCloseTo(before + TimeSpan.FromHours(3), ClockSlack);
        using var csrKeyPair = System.Security.Cryptography.ECDsa.Create();
        csrKeyPair.ImportFromPem(File.ReadAllText(csrKey));
        using var leafKey = issued.Leaf.GetECDsaPublicKey()!;
        leafKey.ExportSubjectPublicKeyInfo().Should().Equal(csrKeyPair.ExportSubjectPublicKeyInfo(), "the CSR's key is certified");
        Step.Run("certificate", "verify", crt, "--roots", Path.Combine(Step.StepPath, "certs", "root_ca.crt")).ShouldSucceed();
    }
}
