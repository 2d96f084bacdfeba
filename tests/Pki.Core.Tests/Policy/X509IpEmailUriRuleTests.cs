using Smallstep.Pki.Policy;
using static Smallstep.Pki.Tests.Policy.PolicyTestData;

namespace Smallstep.Pki.Tests.Policy;

/// <summary>IP, email and URI names under X.509 rules (step-ca policy/validate.go).</summary>
public sealed class X509IpEmailUriRuleTests
{
    [TestCase("10.0.0.0/8", "10.1.2.3", true)]
    [TestCase("10.0.0.0/8", "11.0.0.1", false)]
    [TestCase("10.0.0.0/8", "::ffff:10.0.0.1", true, Description = "IPv4-mapped names compare as IPv4")]
    [TestCase("10.0.0.1/8", "10.200.0.1", true, Description = "host bits in the rule are ignored, as Go's ParseCIDR")]
    [TestCase("192.168.1.10", "192.168.1.10", true, Description = "a single address is a /32")]
    [TestCase("192.168.1.10", "192.168.1.11", false)]
    [TestCase("2001:db8::/32", "2001:db8::1", true)]
    [TestCase("2001:db8::/32", "2001:db9::1", false)]
    [TestCase("2001:db8::/32", "10.0.0.1", false, Description = "IPv4 names never match IPv6 networks")]
    [TestCase("0.0.0.0/0", "2001:db8::1", false)]
    [TestCase("::1", "::1", true, Description = "a single IPv6 address is a /128")]
    [TestCase("::1", "::2", false)]
    [TestCase("::ffff:0:0/96", "8.8.8.8", true, Description = "an IPv4-mapped network of /96 or longer is an IPv4 network")]
    public void Ip_rules_are_networks(string rule, string ip, bool allowed)
    {
        var refusal = Refusal(() => X509($"{{'allow':{{'ip':['{rule}']}}}}").X509.Check(null, Sans(ips: [ip])));
        refusal.Should().Be(allowed ? null : $"ip name \"{System.Net.IPAddress.Parse(ip)}\" not allowed");
    }

    [Test]
    public void Ip_deny_range_inside_allow_range()
    {
        var policy = X509("{'allow':{'ip':['0.0.0.0/0']},'deny':{'ip':['10.0.0.0/8']}}");
        policy.X509.Check(null, Sans(ips: ["8.8.8.8"]));
        Details(() => policy.X509.Check(null, Sans(ips: ["10.9.9.9"]))).Message.Should().Be("ip \"10.9.9.9\" is excluded by constraint \"10.0.0.0/8\"");
    }

    [TestCase("@example.com", "a@example.com", null)]
    [TestCase("example.com", "a@EXAMPLE.com", null, Description = "a domain rule with or without @")]
    [TestCase("@example.com", "a@sub.example.com", "email name \"a@sub.example.com\" not allowed", Description = "no subdomains")]
    [TestCase("user@example.com", "user@example.com", null)]
    [TestCase("user@example.com", "user@EXAMPLE.COM", null, Description = "domains compare case-insensitively")]
    [TestCase("user@example.com", "User@example.com", "email name \"User@example.com\" not allowed", Description = "local parts compare exactly")]
    [TestCase("User@example.com", "User@example.com", "email name \"User@example.com\" not allowed", Description = "step-ca lower-cases the rule's local part, so it never matches upper case")]
    [TestCase("@example.com", "\"john doe\"@example.com", null, Description = "quoted local part")]
    [TestCase("@example.com", "a b@example.com", "cannot parse email rfc822Name \"a b@example.com\"")]
    [TestCase("@example.com", "a@bücher.de", "cannot parse email rfc822Name \"a@bücher.de\"", Description = "mailbox domains must be ASCII")]
    [TestCase("@bücher.de", "a@xn--bcher-kva.de", null)]
    [TestCase("@example.com", "a..b@example.com", "cannot parse email rfc822Name \"a..b@example.com\"")]
    public void Email_rules(string rule, string email, string? refusal) =>
        Refusal(() => X509($"{{'allow':{{'email':['{rule}']}}}}").X509.Check(null, Sans(emails: [email]))).Should().Be(refusal);

    [TestCase("example.com", "https://example.com:8443/path", null, Description = "the port is ignored")]
    [TestCase("example.com", "spiffe://example.com/ns/default", null)]
    [TestCase("example.com", "https://user:secret@EXAMPLE.com/", null)]
    [TestCase("example.com", "https://a.example.com/", "uri name \"https://a.example.com/\" not allowed")]
    [TestCase("*.example.com", "https://a.example.com/", null)]
    [TestCase("*.example.com", "https://a.b.example.com/", "uri name \"https://a.b.example.com/\" not allowed")]
    [TestCase("bücher.de", "https://xn--bcher-kva.de/", null)]
    [TestCase("example.com", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "error matching uri name \"urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6\" to constraint")]
    [TestCase("example.com", "https://10.0.0.1/", "error matching uri name \"https://10.0.0.1/\" to constraint")]
    [TestCase("example.com", "https://[::1]:8443/", "error matching uri name \"https://[::1]:8443/\" to constraint")]
    [TestCase("*.example.com", "https://*.example.com/", "error matching uri name \"https://*.example.com/\" to constraint")]
    [TestCase("example.com", "https://example.com./", "error matching uri name \"https://example.com./\" to constraint")]
    public void Uri_rules_match_the_host(string rule, string uri, string? refusal) =>
        Refusal(() => X509($"{{'allow':{{'uri':['{rule}']}},'allowWildcardNames':true}}").X509.Check(null, Sans(uris: [uri]))).Should().Be(refusal);

    [Test]
    public void Uri_without_host_explains_why()
    {
        var details = Details(() => X509("{'allow':{'uri':['example.com']}}").X509.Check(null, Sans(uris: ["urn:x"])));
        details.Reason.Should().Be(NamePolicyViolationReason.CannotMatchNameToConstraint);
        details.Message.Should().Be("URI with empty host (\"urn:x\") cannot be matched against constraints");
    }

    [Test]
    public void Uri_errors_only_arise_when_uri_rules_exist() =>
        X509("{'deny':{'dns':['example.com']}}").X509.Check(null, Sans(uris: ["urn:x", "https://10.0.0.1/"]));
}
