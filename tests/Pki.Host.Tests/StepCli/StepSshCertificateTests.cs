using System.Text.RegularExpressions;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.Ssh;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// <c>step ssh certificate</c> (user, and <c>--host</c>) with the fixture's JWK provisioner, which has
/// <c>enableSSHCA</c>, against the host serving the fixture's SSH user and host CA keys (ca.json
/// <c>ssh</c> block). step makes the key pair, signs the token and writes <c>KEY-cert.pub</c>; OpenSSH's
/// <c>ssh-keygen -L</c> reads the certificate back (checking the CA signature) and the signing CA must
/// be the fixture's user or host CA key. <c>step ssh config --roots|--federation</c> read
/// <c>/ssh/roots</c> and <c>/ssh/federation</c>.
/// </summary>
public sealed partial class StepSshCertificateTests : StepCliTests
{
    [SetUp]
    public void RequireSshKeygen() => ExternalTool.Require("ssh-keygen", "openssh-client");

    [Test]
    public void A_user_certificate_has_the_email_and_its_local_part_as_principals_and_the_user_ca_signs_it()
    {
        var key = Step.NewPath("id_alice");
        var before = DateTimeOffset.UtcNow;

        var result = Step.Run("ssh", "certificate", "alice@step.test", key, "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--no-password", "--insecure").ShouldSucceed();

        result.Stderr.Should().Contain("Certificate: " + key + "-cert.pub");
        var listing = ListCertificate(key + "-cert.pub");
        listing.Should().Contain("ecdsa-sha2-nistp256-cert-v01@openssh.com user certificate");
        listing.Should().Contain("Key ID: \"alice@step.test\"");
        Principals(listing).Should().Equal("alice", "alice@step.test");
        SigningCa(listing).Should().Be(SshKeygenTool.Fingerprint(Pki.Path("certs", "ssh_user_ca_key.pub")));
        listing.Should().Contain("permit-pty").And.Contain("permit-agent-forwarding").And.Contain("permit-port-forwarding");
        var (from, to) = Validity(listing);
        (to - from).Should().Be(TimeSpan.FromHours(16) + TimeSpan.FromMinutes(1), "the default SSH user duration is 16 h, backdated by 1 min");
        to.Should().BeCloseTo(before.UtcDateTime + TimeSpan.FromHours(16), TimeSpan.FromSeconds(30));
        SshKeygenTool.Fingerprint(key + ".pub").Should().Be(CertifiedKey(listing), "the certificate certifies the key step wrote");
    }

    [Test]
    public void A_host_certificate_has_the_host_name_as_principal_and_the_host_ca_signs_it()
    {
        var key = Step.NewPath("ssh_host");

        Step.Run("ssh", "certificate", "host.step.test", key, "--host", "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--no-password", "--insecure").ShouldSucceed();

        var listing = ListCertificate(key + "-cert.pub");
        listing.Should().Contain("ecdsa-sha2-nistp256-cert-v01@openssh.com host certificate");
        listing.Should().Contain("Key ID: \"host.step.test\"");
        Principals(listing).Should().Equal("host.step.test");
        SigningCa(listing).Should().Be(SshKeygenTool.Fingerprint(Pki.Path("certs", "ssh_host_ca_key.pub")));
        var (from, to) = Validity(listing);
        (to - from).Should().Be(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1), "the default SSH host duration is 30 days, backdated by 1 min");
    }

    [Test]
    public void A_host_certificate_with_extra_principals_and_a_duration_within_the_host_maximum()
    {
        var key = Step.NewPath("ssh_host_multi");
        var before = DateTimeOffset.UtcNow;

        Step.Run("ssh", "certificate", "multi.step.test", key, "--host", "--principal", "multi.step.test", "--principal", "10.0.0.5",
            "--not-after", "48h", "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile, "--no-password", "--insecure")
            .ShouldSucceed();

        var listing = ListCertificate(key + "-cert.pub");
        Principals(listing).Should().Equal("multi.step.test", "10.0.0.5");
        Validity(listing).To.Should().BeCloseTo(before.UtcDateTime + TimeSpan.FromHours(48), TimeSpan.FromSeconds(30));
    }

    [Test]
    public void Ssh_not_before_and_not_after_both_count_from_now()
    {
        var key = Step.NewPath("id_later");
        var before = DateTimeOffset.UtcNow;

        Step.Run("ssh", "certificate", "later@step.test", key, "--not-before", "1h", "--not-after", "3h", "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--no-password", "--insecure").ShouldSucceed();

        // Unlike X.509 (notAfter counts from notBefore), step-ca's SignSSHOptions.ModifyValidity takes both relative to now.
        var (from, to) = Validity(ListCertificate(key + "-cert.pub"));
        from.Should().BeCloseTo(before.UtcDateTime + TimeSpan.FromHours(1), TimeSpan.FromSeconds(30));
        to.Should().BeCloseTo(before.UtcDateTime + TimeSpan.FromHours(3), TimeSpan.FromSeconds(30));
    }

    [Test]
    public void A_token_from_step_ca_token_ssh_without_principals_gets_the_subject_as_the_only_principal()
    {
        var token = Step.Run("ca", "token", "carol@step.test", "--ssh", "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile)
            .ShouldSucceed().Stdout.Trim();
        var key = Step.NewPath("id_carol");

        Step.Run("ssh", "certificate", "carol@step.test", key, "--token", token, "--no-password", "--insecure").ShouldSucceed();

        // The token's step.ssh.principals is empty: step-ca's JWK AuthorizeSSHSign defaults to [subject].
        var listing = ListCertificate(key + "-cert.pub");
        listing.Should().Contain("user certificate").And.Contain("Key ID: \"carol@step.test\"");
        Principals(listing).Should().Equal("carol@step.test");
        SigningCa(listing).Should().Be(SshKeygenTool.Fingerprint(Pki.Path("certs", "ssh_user_ca_key.pub")));
    }

    [Test]
    public void Step_signs_an_existing_public_key_with_sign_and_extra_principals()
    {
        var keygen = new SshKeygenTool(Step.StepPath);
        var key = keygen.NewKey("ed25519");

        Step.Run("ssh", "certificate", "bob@step.test", key + ".pub", "--sign", "--principal", "bob", "--principal", "deploy",
            "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile).ShouldSucceed();

        var listing = ListCertificate(key + "-cert.pub");
        listing.Should().Contain("ssh-ed25519-cert-v01@openssh.com user certificate");
        Principals(listing).Should().Equal("bob", "deploy");
        CertifiedKey(listing).Should().Be(SshKeygenTool.Fingerprint(key + ".pub"));
    }

    [Test]
    public void A_duration_over_the_ssh_user_maximum_is_refused()
    {
        var key = Step.NewPath("id_long");

        var result = Step.Run("ssh", "certificate", "long@step.test", key, "--not-after", "48h", "--provisioner", Provisioner,
            "--provisioner-password-file", Step.PasswordFile, "--no-password", "--insecure").ShouldFail();

        result.Stderr.Should().Contain("The request was forbidden by the certificate authority: requested duration of 48h1m0s " +
            "is greater than maximum accepted duration for selected provisioner of 24h1m0s.");
        File.Exists(key + "-cert.pub").Should().BeFalse();
    }

    [Test]
    public void Ssh_config_roots_prints_the_user_ca_key_and_with_host_the_host_ca_key()
    {
        var user = Step.Run("ssh", "config", "--roots").ShouldSucceed().Stdout;
        var host = Step.Run("ssh", "config", "--host", "--roots").ShouldSucceed().Stdout;
        var federation = Step.Run("ssh", "config", "--federation").ShouldSucceed().Stdout;

        user.Trim().Should().Be(File.ReadAllText(Pki.Path("certs", "ssh_user_ca_key.pub")).Trim(), "sshd's TrustedUserCAKeys");
        host.Trim().Should().Be(File.ReadAllText(Pki.Path("certs", "ssh_host_ca_key.pub")).Trim(), "known_hosts' @cert-authority key");
        federation.Should().Be(user, "without federated keys /ssh/federation holds the user CA key alone");
    }

    private static string ListCertificate(string path)
    {
        var result = ExternalTool.Run("ssh-keygen", ["-L", "-f", path]);
        result.ExitCode.Should().Be(0, result.Stderr);
        return result.Stdout;
    }

    private static string SigningCa(string listing) => SigningCaLine().Match(listing).Groups[1].Value;

    private static string CertifiedKey(string listing) => PublicKeyLine().Match(listing).Groups[1].Value;

    private static List<string> Principals(string listing)
    {
        var lines = listing.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "Principals:");
        return lines.Skip(start + 1).TakeWhile(l => l.StartsWith("                ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
    }

    private static (DateTime From, DateTime To) Validity(string listing)
    {
        var match = ValidLine().Match(listing);
        match.Success.Should().BeTrue(listing);
        // ssh-keygen prints local time; the machine's zone does not change the difference.
        return (DateTime.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime(),
            DateTime.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime());
    }

    [GeneratedRegex(@"Signing CA: \S+ (SHA256:\S+)")]
    private static partial Regex SigningCaLine();

    [GeneratedRegex(@"Public key: \S+ (SHA256:\S+)")]
    private static partial Regex PublicKeyLine();

    [GeneratedRegex(@"Valid: from (\S+) to (\S+)")]
    private static partial Regex ValidLine();
}
