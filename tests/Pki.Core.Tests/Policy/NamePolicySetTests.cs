using Smallstep.Pki.Policy;
using static Smallstep.Pki.Tests.Policy.PolicyTestData;

namespace Smallstep.Pki.Tests.Policy;

/// <summary>Authority and provisioner policies must both allow a name.</summary>
public sealed class NamePolicySetTests
{
    private static readonly NamePolicy Authority = Parse("{'x509':{'allow':{'dns':['*.example.com']}},'ssh':{'host':{'allow':{'dns':['*.example.com']}}}}");
    private static readonly NamePolicy Provisioner = Parse("{'x509':{'allow':{'dns':['a.example.com','b.example.com']},'deny':{'dns':['b.example.com']}},'ssh':{'user':{'allow':{'principal':['*']}}}}", NamePolicyScope.Provisioner);

    [TestCase("a.example.com", null)]
    [TestCase("b.example.com", "dns name \"b.example.com\" not allowed", Description = "denied by the provisioner")]
    [TestCase("c.example.com", "dns name \"c.example.com\" not allowed", Description = "not allowed by the provisioner")]
    [TestCase("a.example.org", "dns name \"a.example.org\" not allowed", Description = "not allowed by the authority")]
    public void Both_levels_must_allow(string name, string? refusal)
    {
        var set = NamePolicySet.Of(Authority, Provisioner);
        Refusal(() => set.CheckSans([name])).Should().Be(refusal);
        Refusal(() => set.CheckX509(Description(name))).Should().Be(refusal?.Replace("dns name", "cn name", StringComparison.Ordinal));
    }

    [Test]
    public void The_first_refusing_policy_reports()
    {
        var details = Details(() => NamePolicySet.Of(Authority, Provisioner).CheckSans(["a.example.org"]));
        details.Message.Should().Be("dns \"a.example.org\" is not permitted by any constraint");
        Details(() => NamePolicySet.Of(Provisioner, Authority).CheckSans(["b.example.com"]))
            .Message.Should().Be("dns \"b.example.com\" is excluded by constraint \"b.example.com\"");
    }

    [Test]
    public void Ssh_type_rules_apply_per_level()
    {
        var set = NamePolicySet.Of(Authority, Provisioner);
        // The authority has only host rules, so it refuses user certificates whatever the provisioner says.
        Refusal(() => set.CheckSshUser(["alice"])).Should().Be("authority not allowed to sign SSH user certificates when SSH host certificate policy is active");
        // The provisioner has only user rules, so it refuses host certificates the authority allows.
        Refusal(() => set.CheckSshHost(["a.example.com"])).Should().Be("SSH host certificate not authorized");
    }

    [Test]
    public void Empty_policies_are_left_out_and_order_is_kept()
    {
        NamePolicySet.Of(null, NamePolicy.None, Parse("{}")).Policies.Should().BeEmpty();
        NamePolicySet.Empty.CheckSans(["anything"]);
        var set = NamePolicySet.Of(Authority).With(null).With(Provisioner);
        set.Policies.Should().Equal(Authority, Provisioner);
    }

    [Test]
    public void Principal_enumerations_are_read_once()
    {
        var reads = 0;
        IEnumerable<string> Principals()
        {
            reads++;
            yield return "a.example.com";
        }
        var both = NamePolicySet.Of(Parse("{'ssh':{'host':{'allow':{'dns':['*.example.com']}}}}"), Parse("{'ssh':{'host':{'deny':{'dns':['b.example.com']}}}}"));
        both.CheckSshHost(Principals());
        reads.Should().Be(1);
    }
}
