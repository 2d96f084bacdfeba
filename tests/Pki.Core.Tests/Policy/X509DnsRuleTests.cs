using Smallstep.Pki.Policy;
using static Smallstep.Pki.Tests.Policy.PolicyTestData;

namespace Smallstep.Pki.Tests.Policy;

/// <summary>DNS names under X.509 rules (step-ca policy/validate.go; expectations checked against step-ca's code).</summary>
public sealed class X509DnsRuleTests
{
    private static string? CheckDns(string x509, string name) => Refusal(() => X509(x509).X509.Check(null, Sans(dns: [name])));

    [TestCase("example.com", null)]
    [TestCase("EXAMPLE.COM", null)]
    [TestCase("a.example.com", "dns name \"a.example.com\" not allowed", Description = "no implicit subdomains, unlike RFC 5280")]
    [TestCase("xexample.com", "dns name \"xexample.com\" not allowed")]
    [TestCase("example.com.", "cannot parse dns domain \"example.com.\"", Description = "trailing dot: not a valid name")]
    [TestCase("", "dns name \"\" not allowed")]
    [TestCase("_acme.example.com", "cannot parse dns domain \"_acme.example.com\"", Description = "IDNA STD3 rules refuse underscores")]
    [TestCase("ab--c.example.com", "cannot parse dns domain \"ab--c.example.com\"", Description = "IDNA hyphen rule")]
    [TestCase("foo bar.example.com", "cannot parse dns domain \"foo bar.example.com\"")]
    public void Exact_rule_matches_only_that_name(string name, string? refusal) =>
        CheckDns("{'allow':{'dns':['example.com']}}", name).Should().Be(refusal);

    [TestCase("a.example.com", null)]
    [TestCase("A.EXAMPLE.com", null)]
    [TestCase("a.b.example.com", "dns name \"a.b.example.com\" not allowed", Description = "exactly one extra label")]
    [TestCase("example.com", "dns name \"example.com\" not allowed")]
    [TestCase("*.example.com", "dns name \"*.example.com\" not allowed", Description = "literal wildcard without allowWildcardNames")]
    public void Wildcard_rule_matches_exactly_one_more_label(string name, string? refusal) =>
        CheckDns("{'allow':{'dns':['*.example.com']}}", name).Should().Be(refusal);

    [TestCase("*.example.com", null)]
    [TestCase("a.example.com", null)]
    [TestCase("*.a.example.com", "dns name \"*.a.example.com\" not allowed")]
    [TestCase("**.example.com", "cannot parse dns domain \"**.example.com\"")]
    [TestCase("a*.example.com", "cannot parse dns domain \"a*.example.com\"")]
    public void Literal_wildcard_names_need_allowWildcardNames(string name, string? refusal) =>
        CheckDns("{'allow':{'dns':['*.example.com']},'allowWildcardNames':true}", name).Should().Be(refusal);

    [TestCase("{'allow':{'dns':['*.bücher.de']}}", "a.xn--bcher-kva.de")]
    [TestCase("{'allow':{'dns':['*.bücher.de']}}", "a.BÜCHER.de")]
    [TestCase("{'allow':{'dns':['xn--bcher-kva.de']}}", "bücher.de")]
    [TestCase("{'allow':{'dns':['*.xn--bcher-kva.de']},'allowWildcardNames':true}", "*.bücher.de")]
    [TestCase("{'allow':{'dns':['EXAMPLE.com']}}", "example.COM")]
    public void Names_and_rules_compare_as_lower_case_ascii(string x509, string name) =>
        CheckDns(x509, name).Should().BeNull();

    [Test]
    public void Deny_wins_over_allow_and_names_the_rule()
    {
        var policy = X509("{'allow':{'dns':['*.example.com']},'deny':{'dns':['bad.example.com']}}");
        policy.X509.Check(null, Sans(dns: ["good.example.com"]));
        var details = Details(() => policy.X509.Check(null, Sans(dns: ["BAD.example.com"])));
        details.Message.Should().Be("dns \"BAD.example.com\" is excluded by constraint \"bad.example.com\"");
        details.Reason.Should().Be(NamePolicyViolationReason.NotAllowed);
        details.NameType.Should().Be(PolicyNameType.Dns);
        details.Name.Should().Be("BAD.example.com");
    }

    [TestCase("a.internal.example.com", "dns name \"a.internal.example.com\" not allowed")]
    [TestCase("internal.example.com", null)]
    [TestCase("a.example.com", null)]
    [TestCase("", null)]
    [TestCase("*.internal.example.com", "dns name \"*.internal.example.com\" not allowed", Description = "step-ca lets this through; we refuse literal wildcards without allowWildcardNames")]
    [TestCase("*.example.org", "dns name \"*.example.org\" not allowed")]
    public void Deny_only_policy_allows_everything_not_denied(string name, string? refusal) =>
        CheckDns("{'deny':{'dns':['*.internal.example.com']}}", name).Should().Be(refusal);

    [Test]
    public void Literal_wildcard_under_deny_rule_is_denied_when_wildcards_are_allowed()
    {
        var policy = X509("{'deny':{'dns':['*.internal.example.com']},'allowWildcardNames':true}");
        Refusal(() => policy.X509.Check(null, Sans(dns: ["*.internal.example.com"]))).Should().Be("dns name \"*.internal.example.com\" not allowed");
        policy.X509.Check(null, Sans(dns: ["*.example.com"]));
    }

    [Test]
    public void Literal_wildcard_refusal_explains_the_setting() =>
        Details(() => X509("{'deny':{'ip':['10.0.0.0/8']}}").X509.Check(null, Sans(dns: ["*.example.com"])))
            .Message.Should().Be("dns \"*.example.com\" is a literal wildcard name and allowWildcardNames is not set");
}
