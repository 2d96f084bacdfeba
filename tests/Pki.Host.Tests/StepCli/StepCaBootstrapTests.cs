using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// The real step CLI's read-only commands against the host over a copy of the step-ca fixture PKI:
/// <c>step ca bootstrap</c> (fetches <c>/root/{sha256}</c> and checks the fingerprint), <c>step ca
/// health</c>, <c>step ca roots|root|federation</c> and <c>step ca provisioner list</c>.
/// </summary>
public sealed class StepCaBootstrapTests : StepCliTests
{
    [Test]
    public void Bootstrap_saves_the_root_and_the_defaults_step_needs()
    {
        var saved = StepCli.ReadCertificates(Path.Combine(Step.StepPath, "certs", "root_ca.crt"));
        saved.Should().ContainSingle().Which.RawData.Should().Equal(Pki.Root.RawData);
        var defaults = JsonNode.Parse(File.ReadAllText(Path.Combine(Step.StepPath, "config", "defaults.json")))!;
        defaults["ca-url"]!.GetValue<string>().Should().Be(Step.CaUrl);
        defaults["fingerprint"]!.GetValue<string>().Should().Be(Step.RootFingerprint);
    }

    [Test]
    public void Bootstrap_with_a_fingerprint_the_ca_does_not_have_is_refused()
    {
        using var fresh = StepCli.WithoutBootstrap(Pki.BaseAddress, Pki.Root, Pki.Password);
        var result = fresh.Run("ca", "bootstrap", "--ca-url", fresh.CaUrl, "--fingerprint", new string('0', 64));
        result.ShouldFail();
        result.Stderr.Should().Contain("error downloading root certificate: The requested resource could not be found.");
        File.Exists(Path.Combine(fresh.StepPath, "config", "defaults.json")).Should().BeFalse();
    }

    [Test]
    public void Health_prints_ok()
    {
        var result = Step.Run("ca", "health").ShouldSucceed();
        result.Stdout.Trim().Should().Be("ok");
    }

    [Test]
    public void Roots_and_root_save_the_served_root()
    {
        var roots = Step.NewPath("roots.pem");
        Step.Run("ca", "roots", roots).ShouldSucceed().Stderr.Should().Contain("The root certificate bundle has been saved in " + roots);
        StepCli.ReadCertificates(roots).Should().ContainSingle().Which.RawData.Should().Equal(Pki.Root.RawData);

        var root = Step.NewPath("root.pem");
        Step.Run("ca", "root", root).ShouldSucceed();
        StepCli.ReadCertificates(root).Should().ContainSingle().Which.RawData.Should().Equal(Pki.Root.RawData);
    }

    [Test]
    public void Federation_saves_the_root_when_no_roots_are_federated()
    {
        var federation = Step.NewPath("federation.pem");
        Step.Run("ca", "federation", federation).ShouldSucceed();
        StepCli.ReadCertificates(federation).Should().ContainSingle().Which.RawData.Should().Equal(Pki.Root.RawData);
    }

    [Test]
    public async Task Provisioner_list_prints_what_the_host_serves_at_provisioners()
    {
        var result = Step.Run("ca", "provisioner", "list").ShouldSucceed();

        var listed = JsonNode.Parse(result.Stdout)!.AsArray();
        var served = JsonNode.Parse(await Client.GetStringAsync("/provisioners"))!["provisioners"]!.AsArray();
        JsonNode.DeepEquals(listed, served).Should().BeTrue($"step listed\n{listed}\nthe host serves\n{served}");
        listed.Select(p => (string?)p!["name"]).Should().Equal("fixture-admin", "acme", "sshpop");
    }
}
