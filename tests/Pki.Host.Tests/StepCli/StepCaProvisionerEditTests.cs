using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Binary;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// <c>step ca provisioner add|remove --ca-config</c> rewrite ca.json with step's own config code
/// (certificates 0.19's <c>authority.Config</c>, which re-marshals every field); the host binary
/// (<c>pki-host CONFIG --password-file F</c> over a copy of the fixture PKI, as a child process)
/// reloads that file on SIGHUP, as step prints it should, and serves the change to step.
/// </summary>
public sealed class StepCaProvisionerEditTests
{
    private const string Added = "step-added";

    [Test]
    public async Task A_jwk_provisioner_step_adds_issues_after_sighup_and_is_gone_after_step_removes_it()
    {
        StepCli.Locate();
        using var directory = new TemporaryDirectory();
        var configPath = CopyFixturePki(directory.Path);
        var passwordFile = Path.Combine(directory.Path, "password.txt");
        await using var host = HostProcess.Start(directory.Path, configPath, "--password-file", passwordFile);
        var port = await host.WaitUntilServingAsync();
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory.Path, "certs", "root_ca.crt"));
        using var intermediate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory.Path, "certs", "intermediate_ca.crt"));
        using var step = StepCli.Bootstrap(new Uri($"https://127.0.0.1:{port}"), root, "added-provisioner-password");

        var added = step.Run("ca", "provisioner", "add", Added, "--type", "JWK", "--create", "--password-file", step.PasswordFile,
            "--ca-config", configPath).ShouldSucceed();

        added.Stderr.Should().Contain("To pick up the new configuration SIGHUP (kill -1 <pid>) or restart the step-ca process.");
        await ReloadAsync(host);
        ProvisionerNames(step).Should().Equal("fixture-admin", "acme", "sshpop", Added);
        var (crt, key) = (step.NewPath("added.crt"), step.NewPath("added.key"));
        step.Run("ca", "certificate", "added.step.test", crt, key, "--provisioner", Added, "--provisioner-password-file", step.PasswordFile)
            .ShouldSucceed();
        using (var issued = StepIssued.Read(crt, root, intermediate))
        {
            issued.DnsNames.Should().Equal("added.step.test");
        }

        step.Run("ca", "provisioner", "remove", Added, "--all", "--ca-config", configPath).ShouldSucceed();
        await ReloadAsync(host);

        ProvisionerNames(step).Should().Equal("fixture-admin", "acme", "sshpop");
        step.Run("ca", "certificate", "gone.step.test", step.NewPath("gone.crt"), step.NewPath("gone.key"), "--provisioner", Added,
            "--provisioner-password-file", step.PasswordFile).ShouldFail().Stderr.Should().Contain($"invalid value '{Added}' for flag '--issuer'", "step finds no such provisioner in /provisioners");
        host.HasExited.Should().BeFalse();
    }

    // Event ids are stable (ARCHITECTURE.md): 2001 reloaded, 2002 reload refused.
    private static async Task ReloadAsync(HostProcess host)
    {
        var mark = host.Output.Mark();
        host.Signal("HUP");
        (await host.WaitForLineAsync(l => l.Contains("[2001]", StringComparison.Ordinal) || l.Contains("[2002]", StringComparison.Ordinal), mark))
            .Should().Contain("[2001]", string.Join('\n', host.Output.Lines.Skip(mark)));
    }

    private static List<string?> ProvisionerNames(StepCli step) =>
        JsonNode.Parse(step.Run("ca", "provisioner", "list").ShouldSucceed().Stdout)!.AsArray().Select(p => (string?)p!["name"]).ToList();

    /// <summary>Copies the fixture PKI into <paramref name="stepPath"/> listening on 127.0.0.1:0; returns the ca.json path.</summary>
    internal static string CopyFixturePki(string stepPath) => FixturePkiCopy.Write(stepPath, config => config["address"] = "127.0.0.1:0");
}
