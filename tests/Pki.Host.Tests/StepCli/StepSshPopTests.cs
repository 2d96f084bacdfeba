using System.Text.RegularExpressions;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.Ssh;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// The real step CLI's SSHPOP flows against the host over the fixture PKI (its SSHPOP provisioner
/// <c>sshpop</c>): <c>step ssh certificate --host</c> (JWK) makes a host certificate, then
/// <c>step ssh renew</c>, <c>step ssh rekey</c> and <c>step ssh revoke --sshpop-cert --sshpop-key</c>
/// sign their tokens with the host key; <c>ssh-keygen -L</c> reads each certificate back.
/// </summary>
public sealed partial class StepSshPopTests : StepCliTests
{
    private const string SshPop = "sshpop";

    [SetUp]
    public void RequireSshKeygen() => ExternalTool.Require("ssh-keygen", "openssh-client");

    [Test]
    public void Step_ssh_renew_replaces_the_host_certificate_with_a_new_serial_for_the_same_key()
    {
        var key = HostCertificate("renew.step.test");
        var before = ListCertificate(key + "-cert.pub");

        Step.Run("ssh", "renew", key + "-cert.pub", key, "--issuer", SshPop, "--force").ShouldSucceed();

        var after = ListCertificate(key + "-cert.pub");
        after.Should().Contain("host certificate").And.Contain("Key ID: \"renew.step.test\"");
        Field(after, "Serial").Should().NotBe(Field(before, "Serial"));
        Field(after, "Public key").Should().Be(Field(before, "Public key"));
        Field(after, "Signing CA").Should().Contain(SshKeygenTool.Fingerprint(Pki.Path("certs", "ssh_host_ca_key.pub")));
    }

    [Test]
    public void Step_ssh_rekey_writes_a_new_key_and_a_certificate_for_it()
    {
        var key = HostCertificate("rekey.step.test");
        var before = ListCertificate(key + "-cert.pub");
        var output = Step.NewPath("rekeyed");

        Step.Run("ssh", "rekey", key + "-cert.pub", key, "--issuer", SshPop, "--out", output, "--no-password", "--insecure", "--force").ShouldSucceed();

        var after = ListCertificate(output + "-cert.pub");
        after.Should().Contain("host certificate").And.Contain("Key ID: \"rekey.step.test\"");
        Field(after, "Public key").Should().NotBe(Field(before, "Public key"));
        Field(after, "Public key").Should().Contain(SshKeygenTool.Fingerprint(output + ".pub"), "the certificate certifies the key step wrote");
    }

    [Test]
    public void Step_ssh_revoke_with_the_certificate_itself_stops_its_renewal()
    {
        var key = HostCertificate("revoke.step.test");
        var serial = Field(ListCertificate(key + "-cert.pub"), "Serial").Split(' ').Last();

        Step.Run("ssh", "revoke", serial, "--sshpop-cert", key + "-cert.pub", "--sshpop-key", key, "--issuer", SshPop, "--reason", "test").ShouldSucceed();

        var renew = Step.Run("ssh", "renew", key + "-cert.pub", key, "--issuer", SshPop, "--force").ShouldFail();
        renew.Stderr.Should().Contain("The request lacked necessary authorization to be completed");
    }

    // step ssh certificate --host with the fixture's JWK provisioner; returns the key path (cert at KEY-cert.pub).
    private string HostCertificate(string host)
    {
        var key = Step.NewPath("ssh_host");
        Step.Run("ssh", "certificate", host, key, "--host", "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile,
            "--no-password", "--insecure").ShouldSucceed();
        return key;
    }

    private static string ListCertificate(string path)
    {
        var result = ExternalTool.Run("ssh-keygen", ["-L", "-f", path]);
        result.ExitCode.Should().Be(0, result.Stderr);
        return result.Stdout;
    }

    private static string Field(string listing, string name) => FieldLine().Matches(listing).Single(m => m.Groups[1].Value == name).Groups[2].Value.Trim();

    [GeneratedRegex(@"^\s+([A-Za-z ]+): (.*)$", RegexOptions.Multiline)]
    private static partial Regex FieldLine();
}
