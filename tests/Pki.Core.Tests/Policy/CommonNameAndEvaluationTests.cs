using Smallstep.Pki.Policy;
using static Smallstep.Pki.Tests.Policy.PolicyTestData;

namespace Smallstep.Pki.Tests.Policy;

/// <summary>How rules of different types combine, and how the subject common name is checked (policy/validate.go).</summary>
public sealed class CommonNameAndEvaluationTests
{
    [Test]
    public void No_rules_allow_everything()
    {
        var sans = Sans(["*.anything"], ["10.0.0.1"], ["a@b.c"], ["urn:x"]);
        NamePolicy.None.X509.Check("x", sans);
        X509("{}").X509.Check("x", sans);
        X509("{'allowWildcardNames':true}").IsEmpty.Should().BeTrue("step-ca builds no engine without names");
        X509("{'allow':{'dns':[]},'deny':{}}").IsEmpty.Should().BeTrue();
    }

    [TestCase("{'allow':{'dns':['*.example.com']}}", "ip", "ip name \"10.0.0.1\" not allowed")]
    [TestCase("{'allow':{'dns':['*.example.com']}}", "email", "email name \"a@example.com\" not allowed")]
    [TestCase("{'allow':{'dns':['*.example.com']}}", "uri", "uri name \"https://a.example.com\" not allowed")]
    [TestCase("{'allow':{'ip':['10.0.0.0/8']}}", "dns", "dns name \"a.example.com\" not allowed")]
    [TestCase("{'allow':{'cn':['admin']}}", "dns", "dns name \"a.example.com\" not allowed", Description = "cn allow rules count as allow rules")]
    [TestCase("{'allow':{'dns':['*.example.com']},'deny':{'ip':['192.168.0.0/16']}}", "ip", null, Description = "a deny rule of the type is enough to let other IPs through")]
    [TestCase("{'deny':{'dns':['*.example.com']}}", "ip", null, Description = "deny-only policies allow other types")]
    public void A_type_without_rules_is_refused_when_other_types_have_allow_rules(string x509, string type, string? refusal)
    {
        var sans = type switch
        {
            "ip" => Sans(ips: ["10.0.0.1"]),
            "email" => Sans(emails: ["a@example.com"]),
            "uri" => Sans(uris: ["https://a.example.com"]),
            _ => Sans(dns: ["a.example.com"]),
        };
        Refusal(() => X509(x509).X509.Check(null, sans)).Should().Be(refusal);
    }

    [Test]
    public void Unlisted_type_refusal_says_not_explicitly_permitted() =>
        Details(() => X509("{'allow':{'dns':['example.com']}}").X509.Check(null, Sans(ips: ["10.0.0.1"])))
            .Message.Should().Be("ip \"10.0.0.1\" is not explicitly permitted by any constraint");

    [TestCase("example.com", null)]
    [TestCase("other.com", "cn name \"other.com\" not allowed")]
    [TestCase("10.0.0.1", "cn name \"10.0.0.1\" not allowed", Description = "classified as an IP, which has no rules")]
    [TestCase("", null, Description = "an empty common name is not checked")]
    [TestCase("not a dns name", "cannot parse cn domain \"not a dns name\"")]
    public void Common_name_without_cn_rules_is_checked_as_the_san_type_it_looks_like(string cn, string? refusal) =>
        Refusal(() => X509("{'allow':{'dns':['example.com']}}").X509.Check(cn, Sans())).Should().Be(refusal);

    [TestCase("10.1.2.3", "{'allow':{'ip':['10.0.0.0/8']}}")]
    [TestCase("a@example.com", "{'allow':{'email':['@example.com']}}")]
    [TestCase("https://example.com/x", "{'allow':{'uri':['example.com']}}")]
    [TestCase("My Host", "{'allow':{'cn':['my host']}}")]
    [TestCase("a.example.com", "{'allow':{'cn':['admin'],'dns':['*.example.com']}}")]
    public void Common_name_is_allowed(string cn, string x509) => X509(x509).X509.Check(cn, Sans());

    [Test]
    public void Cn_deny_rules_are_final_unlike_step_ca()
    {
        // step-ca's validateCommonName sends a denied cn on to the SAN rules, which may accept it.
        var policy = X509("{'allow':{'dns':['*.example.com']},'deny':{'cn':['a.example.com','x.org']}}");
        Refusal(() => policy.X509.Check("a.example.com", Sans())).Should().Be("cn name \"a.example.com\" not allowed");
        Refusal(() => policy.X509.Check("x.org", Sans())).Should().Be("cn name \"x.org\" not allowed");
        policy.X509.Check("b.example.com", Sans());
        Refusal(() => X509("{'deny':{'cn':['admin']}}").X509.Check("ADMIN", Sans())).Should().Be("cn name \"ADMIN\" not allowed");
    }

    [Test]
    public void Cn_deny_only_rules_do_not_bypass_the_san_rules_unlike_step_ca()
    {
        // step-ca accepts evil.org here: not denied by a cn rule, so the dns allow rules are skipped.
        Refusal(() => X509("{'allow':{'dns':['*.example.com']},'deny':{'cn':['admin']}}").X509.Check("evil.org", Sans()))
            .Should().Be("cn name \"evil.org\" not allowed");
        // Only an explicit cn allow rule skips the SAN rules.
        X509("{'allow':{'dns':['*.example.com'],'cn':['Build Agent']}}").X509.Check("build agent", Sans());
    }

    [Test]
    public void Sans_are_checked_before_the_common_name() =>
        Refusal(() => X509("{'allow':{'dns':['example.com']}}").X509.Check("bad-cn.org", Sans(dns: ["bad-san.org"])))
            .Should().Be("dns name \"bad-san.org\" not allowed");

    [Test]
    public void Check_sans_splits_free_form_names_like_acme_identifiers()
    {
        var policy = X509("{'allow':{'dns':['*.example.com'],'ip':['10.0.0.0/8']}}");
        policy.CheckSans(["a.example.com", "10.1.1.1", ""]);
        Refusal(() => policy.CheckSans(["192.168.1.1"])).Should().Be("ip name \"192.168.1.1\" not allowed");
        Refusal(() => policy.CheckSans(["a@example.com"])).Should().Be("email name \"a@example.com\" not allowed");
    }

    [Test]
    public void Description_common_name_comes_from_the_raw_subject_when_set()
    {
        var policy = X509("{'allow':{'dns':['*.example.com']}}");
        var description = Description("a.example.com");
        policy.CheckX509(description);
        description.RawSubject = Smallstep.Pki.Issuance.DistinguishedName.FromCommonName("evil.org").Encode();
        Refusal(() => policy.CheckX509(description)).Should().Be("cn name \"evil.org\" not allowed");
    }

    [Test]
    public void Description_sans_include_a_subject_alt_name_extension_from_a_template()
    {
        // step-ca skips these (x509util leaves DNSNames empty when a template writes the extension).
        var policy = X509("{'allow':{'dns':['*.example.com']}}");
        var description = Description("", Sans(dns: ["a.example.com"]));
        description.ExtraExtensions.Add(new Smallstep.Pki.Issuance.CertificateExtension("2.5.29.17", false, Sans(dns: ["evil.org"]).Encode()));
        Refusal(() => policy.CheckX509(description)).Should().Be("dns name \"evil.org\" not allowed");
    }

    [Test]
    public void Description_with_malformed_san_extension_is_a_bad_request()
    {
        var description = Description("", Sans(dns: ["a.example.com"]));
        description.ExtraExtensions.Add(new Smallstep.Pki.Issuance.CertificateExtension("2.5.29.17", false, [0x30, 0x05, 0x82]));
        var e = FluentActions.Invoking(() => X509("{'allow':{'dns':['*.example.com']}}").CheckX509(description)).Should().Throw<Smallstep.Pki.Errors.PkiException>().Which;
        e.Kind.Should().Be(Smallstep.Pki.Errors.PkiErrorKind.BadRequest);
    }

    [Test]
    public void Concurrent_checks_give_the_sequential_answers()
    {
        var policy = X509("{'allow':{'dns':['*.bücher.de','*.example.com'],'ip':['10.0.0.0/8'],'email':['@example.com'],'uri':['example.com']},'deny':{'dns':['bad.example.com']}}");
        string[] names = ["a.bücher.de", "a.BÜCHER.de", "bad.example.com", "x.example.com", "10.1.1.1", "11.1.1.1", "a@example.com", "a@example.org", "https://example.com:1/", "urn:x", "_x.example.com"];
        var expected = names.Select(n => Refusal(() => policy.CheckSans([n]))).ToArray();
        var actual = new string?[20_000];
        Parallel.For(0, actual.Length, i => actual[i] = Refusal(() => policy.CheckSans([names[i % names.Length]])));
        actual.Select((refusal, i) => (refusal, i)).Should().OnlyContain(x => x.refusal == expected[x.i % names.Length]);
        expected.Count(e => e is null).Should().Be(6);
    }
}
