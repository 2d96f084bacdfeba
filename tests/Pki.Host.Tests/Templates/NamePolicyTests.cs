using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Templates;

/// <summary>
/// ca.json name policies served by the host: <c>authority.policy</c> and a <c>policy</c> inside the
/// provisioner's own entry (which step-ca's open-source build cannot read from ca.json) must both
/// allow; a refusal is a 403 naming the name and the rule, and nothing is stored.
/// </summary>
public sealed class NamePolicyTests : OpenSslServedPkiTests
{
    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync(config =>
    {
        config["authority"]!["policy"] = JsonNode.Parse("""{"x509": {"allow": {"dns": ["*.policy.test"]}}}""");
        config["authority"]!["provisioners"]![0]!["policy"] = JsonNode.Parse("""{"x509": {"deny": {"dns": ["blocked.policy.test"]}}}""");
    });

    [Test]
    public async Task A_name_both_policies_allow_is_issued()
    {
        using var response = await SignAsync("ok.policy.test");
        await response.ShouldBeIssuedAsync();
    }

    [TestCase("outside.example", "dns name \\\"outside.example\\\" not allowed (dns \\\"outside.example\\\" is not permitted by any constraint)")]
    [TestCase("blocked.policy.test", "dns name \\\"blocked.policy.test\\\" not allowed (dns \\\"blocked.policy.test\\\" is excluded by constraint \\\"blocked.policy.test\\\")")]
    public async Task A_name_either_policy_refuses_is_a_403_and_nothing_is_stored(string name, string reason)
    {
        var stored = Pki.CountRows("x509_certs");
        using var response = await SignAsync(name);
        await response.ShouldBeStepErrorAsync(403, "The request was forbidden by the certificate authority: " + reason.Replace("\\\"", "\"", StringComparison.Ordinal));
        Pki.CountRows("x509_certs").Should().Be(stored);
    }
}
