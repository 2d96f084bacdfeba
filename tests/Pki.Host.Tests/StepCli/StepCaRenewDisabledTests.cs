using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// <c>claims.disableRenewal</c> on the fixture's JWK provisioner: step still gets certificates, and
/// <c>step ca renew</c> is refused as step-ca 0.19's <c>authorizeRenew</c> does it (401, which step
/// prints as the generic authorization message).
/// </summary>
public sealed class StepCaRenewDisabledTests : StepCliTests
{
    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync(config =>
        config["authority"]!["provisioners"]![0]!["claims"]!["disableRenewal"] = true);

    [Test]
    public void Renew_of_a_certificate_from_a_provisioner_with_renewal_disabled_is_refused()
    {
        var (crt, key) = (Step.NewPath("norenew.crt"), Step.NewPath("norenew.key"));
        Step.Run("ca", "certificate", "norenew.step.test", crt, key, "--provisioner", Provisioner, "--provisioner-password-file", Step.PasswordFile)
            .ShouldSucceed();
        var before = File.ReadAllBytes(crt);

        var result = Step.Run("ca", "renew", crt, key, "--force").ShouldFail();

        result.Stderr.Should().Contain("error renewing certificate: The request lacked necessary authorization to be completed.");
        File.ReadAllBytes(crt).Should().Equal(before);
    }
}
