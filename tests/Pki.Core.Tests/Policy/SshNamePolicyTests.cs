using Smallstep.Pki.Policy;
using static Smallstep.Pki.Tests.Policy.PolicyTestData;

namespace Smallstep.Pki.Tests.Policy;

/// <summary>SSH user and host policies (policy/engine.go splitSSHPrincipals, authority/policy/engine.go).</summary>
public sealed class SshNamePolicyTests
{
    private static string? User(string user, params string[] principals) => Refusal(() => Parse($"{{'ssh':{{'user':{user}}}}}").CheckSshUser(principals));

    private static string? Host(string host, params string[] principals) => Refusal(() => Parse($"{{'ssh':{{'host':{host}}}}}").CheckSshHost(principals));

    [TestCase("alice", null)]
    [TestCase("ALICE", null, Description = "principals compare case-insensitively")]
    [TestCase("bob", "principal name \"bob\" not allowed")]
    [TestCase("h.slatman", "principal name \"h.slatman\" not allowed", Description = "host-like names are username principals in user certificates")]
    [TestCase("alice@example.com", "email name \"alice@example.com\" not allowed", Description = "email-looking principals are emails")]
    [TestCase("", null, Description = "empty principals are skipped")]
    public void User_principals(string principal, string? refusal) =>
        User("{'allow':{'principal':['alice']}}", principal).Should().Be(refusal);

    [Test]
    public void User_star_principal_allows_any_username_but_not_emails()
    {
        User("{'allow':{'principal':['*']}}", "root", "h.slatman").Should().BeNull();
        User("{'allow':{'principal':['*'],'email':['@example.com']}}", "root", "alice@example.com").Should().BeNull();
        User("{'allow':{'principal':['*']},'deny':{'principal':['root']}}", "Root").Should().Be("principal name \"Root\" not allowed");
    }

    [Test]
    public void User_principal_details_say_username_principal() =>
        Details(() => Parse("{'ssh':{'user':{'allow':{'email':['@example.com']}}}}").CheckSshUser(["root"]))
            .Message.Should().Be("username principal \"root\" is not explicitly permitted by any constraint");

    [TestCase("10.0.0.1", "IP principals [10.0.0.1] not expected in SSH user certificate")]
    [TestCase("https://example.com", "URL principals [https://example.com] not expected in SSH user certificate")]
    public void User_certificates_refuse_ip_and_uri_principals(string principal, string message) =>
        User("{'allow':{'principal':['*']}}", principal).Should().Be(message);

    [TestCase("a.example.com", null)]
    [TestCase("b", "dns name \"b\" not allowed", Description = "host principals are DNS names")]
    [TestCase("10.1.2.3", null)]
    [TestCase("192.168.1.1", "ip name \"192.168.1.1\" not allowed")]
    [TestCase("*.example.com", "dns name \"*.example.com\" not allowed", Description = "SSH policies never allow literal wildcards")]
    [TestCase("ops@example.com", "email name \"ops@example.com\" not allowed")]
    public void Host_principals(string principal, string? refusal) =>
        Host("{'allow':{'dns':['*.example.com'],'ip':['10.0.0.0/8']}}", principal).Should().Be(refusal);

    [Test]
    public void Principal_rules_never_match_host_principals() =>
        Host("{'allow':{'principal':['*']}}", "a.example.com").Should().Be("dns name \"a.example.com\" not allowed");

    [Test]
    public void Host_certificates_refuse_uri_principals() =>
        Host("{'allow':{'dns':['*.example.com']}}", "spiffe://example.com/x").Should().Be("URL principals [spiffe://example.com/x] not expected in SSH host certificate");

    [Test]
    public void Only_host_rules_refuse_every_user_certificate()
    {
        var authority = Parse("{'ssh':{'host':{'allow':{'dns':['*.example.com']}}}}");
        Refusal(() => authority.CheckSshUser(["alice"])).Should().Be("authority not allowed to sign SSH user certificates when SSH host certificate policy is active");
        authority.CheckSshHost(["a.example.com"]);

        var provisioner = Parse("{'ssh':{'host':{'allow':{'dns':['*.example.com']}}}}", NamePolicyScope.Provisioner);
        Refusal(() => provisioner.CheckSshUser(["alice"])).Should().Be("SSH user certificate not authorized");
    }

    [Test]
    public void Only_user_rules_refuse_every_host_certificate()
    {
        var authority = Parse("{'ssh':{'user':{'deny':{'principal':['root']}},'host':{'allow':{}}}}");
        authority.Ssh.HasUserRules.Should().BeTrue();
        authority.Ssh.HasHostRules.Should().BeFalse("a host block without names is no policy");
        Refusal(() => authority.CheckSshHost(["a.example.com"])).Should().Be("authority not allowed to sign SSH host certificates when SSH user certificate policy is active");
        authority.CheckSshUser(["alice"]);
        Refusal(() => Parse("{'ssh':{'user':{'deny':{'principal':['root']}}}}", NamePolicyScope.Provisioner).CheckSshHost(["h"])).Should().Be("SSH host certificate not authorized");
    }

    [Test]
    public void X509_rules_do_not_affect_ssh_and_vice_versa()
    {
        var policy = Parse("{'x509':{'allow':{'dns':['example.com']}}}");
        policy.CheckSshUser(["root"]);
        policy.CheckSshHost(["anything.org"]);
        var ssh = Parse("{'ssh':{'user':{'allow':{'principal':['alice']}}}}");
        ssh.CheckSans(["anything.org"]);
    }
}
