using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.StepCli;

namespace Smallstep.Pki.Tests.Host.X5c;

/// <summary>
/// A certificate whose provisioner was removed from ca.json, or renamed, is refused renewal after the
/// reload with step-ca's answer (authority/authorize.go <c>authorizeRenew</c>: 401 "provisioner not
/// found"), by <c>step ca renew</c> (mTLS) and with a renew token.
/// </summary>
public sealed class X5cRemovedProvisionerTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task Renewal_of_a_certificate_whose_x5c_provisioner_left_ca_json_is_refused(bool renamed)
    {
        StepCli.StepCli.Locate();
        await using var pki = await ServedPki.StartFixtureCopyAsync(X5cHostConfig.AddProvisioner);
        using var step = StepCli.StepCli.Bootstrap(pki);
        var (credential, credentialKey) = (step.NewPath("c.crt"), step.NewPath("c.key"));
        step.Run("ca", "certificate", "credential.step.test", credential, credentialKey, "--provisioner", "fixture-admin", "--provisioner-password-file", step.PasswordFile)
            .ShouldSucceed();
        var (crt, key) = (step.NewPath("x.crt"), step.NewPath("x.key"));
        step.Run("ca", "certificate", "orphan.step.test", crt, key, "--provisioner", X5cHostConfig.Provisioner, "--x5c-cert", credential, "--x5c-key", credentialKey)
            .ShouldSucceed();
        step.Run("ca", "renew", crt, key, "--force").ShouldSucceed();

        var config = JsonNode.Parse(File.ReadAllText(pki.ConfigPath))!;
        var provisioners = config["authority"]!["provisioners"]!.AsArray();
        var x5c = provisioners.Single(p => (string?)p!["name"] == X5cHostConfig.Provisioner)!;
        if (renamed)
        {
            x5c["name"] = "x5c-renamed";
        }
        else
        {
            provisioners.Remove(x5c);
        }
        File.WriteAllText(pki.ConfigPath, config.ToJsonString());
        var mark = pki.Log.Mark();
        await pki.Server.ReloadAsync();
        (await pki.Log.WaitForLineAsync(mark, l => l.Contains("[2001]", StringComparison.Ordinal) || l.Contains("[2002]", StringComparison.Ordinal)))
            .Should().Contain("[2001]");

        step.Run("ca", "renew", crt, key, "--force").ShouldFail().Stderr.Should().Contain("error renewing certificate: " + StepResponses.Unauthorized);
        using var client = pki.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/1.0/renew");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", X5cHostConfig.RenewToken(crt, key, "orphan.step.test"));
        await (await client.SendAsync(request)).ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        // The JWK certificate of the same CA still renews.
        step.Run("ca", "renew", credential, credentialKey, "--force").ShouldSucceed();
    }
}
