using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Policy;
using static Smallstep.Pki.Tests.Policy.PolicyTestData;

namespace Smallstep.Pki.Tests.Policy;

/// <summary>Building a policy from JSON: rule validation (policy/options.go), paths in errors, unknown keys.</summary>
public sealed class NamePolicyConfigTests
{
    private static ConfigDiagnostic SingleError(string json, string path = "authority.policy")
    {
        var e = FluentActions.Invoking(() => Parse(json, path: path)).Should().Throw<CaConfigException>().Which;
        return e.Errors.Should().ContainSingle().Subject;
    }

    [TestCase("dns", ".example.com", "domain constraint \".example.com\" with wildcard should start with *")]
    [TestCase("dns", "example..com", "domain constraint \"example..com\" cannot have empty labels")]
    [TestCase("dns", "a*.example.com", "domain constraint \"a*.example.com\" can only have wildcard as starting character")]
    [TestCase("dns", "*example.com", "wildcard character in domain constraint \"*example.com\" can only be used to match (full) labels")]
    [TestCase("dns", " ", "constraint \" \" can not be empty or white space string")]
    [TestCase("dns", "*", "domain constraint \"*\" can not be converted to ASCII")]
    [TestCase("dns", "_acme.example.com", "domain constraint \"_acme.example.com\" can not be converted to ASCII")]
    [TestCase("dns", "example.com.", "cannot parse domain constraint \"example.com.\"")]
    [TestCase("ip", "10.0.0.0/33", "cannot parse constraint \"10.0.0.0/33\" as IP nor CIDR")]
    [TestCase("ip", "010.0.0.1", "cannot parse constraint \"010.0.0.1\" as IP nor CIDR")]
    [TestCase("ip", "10.0.0", "cannot parse constraint \"10.0.0\" as IP nor CIDR")]
    [TestCase("ip", "fe80::1%eth0", "cannot parse constraint \"fe80::1%eth0\" as IP nor CIDR")]
    [TestCase("ip", "example.com", "cannot parse constraint \"example.com\" as IP nor CIDR")]
    [TestCase("uri", "https://example.com", "URI domain constraint \"https://example.com\" contains scheme (not supported yet)")]
    [TestCase("uri", "example.com:443", "URI domain constraint \"example.com:443\" cannot contain port")]
    [TestCase("uri", "10.0.0.1", "URI domain constraint \"10.0.0.1\" cannot be an IP")]
    [TestCase("uri", "[::1]", "URI domain constraint \"[::1]\" contains invalid square brackets")]
    [TestCase("uri", ".example.com", "URI domain constraint \".example.com\" with wildcard should start with *")]
    [TestCase("cn", "*", "wildcard constraint \"*\" is not supported")]
    [TestCase("cn", "", "constraint \"\" can not be empty or white space string")]
    [TestCase("email", "*@example.com", "email constraint \"*@example.com\" cannot contain asterisk wildcard")]
    [TestCase("email", ".example.com", "email constraint \".example.com\" cannot start with period")]
    [TestCase("email", "a@b@example.com", "email constraint \"a@b@example.com\" contains too many @ characters")]
    [TestCase("email", "a b@example.com", "cannot parse email constraint \"a b@example.com\" as RFC 2821 mailbox")]
    [TestCase("email", "@", "email constraint \"@\" can not be empty or white space string")]
    public void Bad_rule_is_reported_with_its_path(string type, string rule, string message)
    {
        var valid = type switch { "ip" => "10.0.0.0/8", "cn" => "admin", "email" => "@example.org", _ => "example.org" };
        var error = SingleError($"{{'x509':{{'allow':{{'{type}':['{valid}','{rule}']}}}}}}");
        error.Field.Should().Be($"authority.policy.x509.allow.{type}[1]");
        error.Message.Should().Be(message);
        error.Severity.Should().Be(ConfigDiagnosticSeverity.Error);
    }

    [Test]
    public void Every_problem_is_listed()
    {
        var e = FluentActions.Invoking(() => Parse("{'x509':{'deny':{'dns':['.a'],'ip':['x']}},'ssh':{'host':{'allow':{'dns':['b..c']}}}}"))
            .Should().Throw<CaConfigException>().Which;
        e.Errors.Select(d => d.Field).Should().Equal("authority.policy.x509.deny.dns[0]", "authority.policy.x509.deny.ip[0]", "authority.policy.ssh.host.allow.dns[0]");
        e.Message.Should().Contain("authority.policy.ssh.host.allow.dns[0]: domain constraint \"b..c\" cannot have empty labels");
    }

    [TestCase("{'x509':{'alow':{'dns':['example.com']}}}", "authority.policy.x509.alow")]
    [TestCase("{'x509':{'allow':{'dnss':['example.com']}}}", "authority.policy.x509.allow.dnss")]
    [TestCase("{'x509':{'allow':{'principal':['root']}}}", "authority.policy.x509.allow.principal")]
    [TestCase("{'ssh':{'user':{'allow':{'uri':['example.com']}}}}", "authority.policy.ssh.user.allow.uri")]
    [TestCase("{'ssh':{'users':{}}}", "authority.policy.ssh.users")]
    [TestCase("{'acme':{}}", "authority.policy.acme")]
    public void Unknown_keys_are_errors_rather_than_silently_ignored(string json, string path)
    {
        var error = SingleError(json);
        error.Field.Should().Be(path);
        error.Message.Should().Be("unknown field in name policy");
    }

    [TestCase("{'x509':{'allow':{'dns':'example.com'}}}", "authority.policy.x509.allow.dns", "expected an array of strings, got a string")]
    [TestCase("{'x509':[]}", "authority.policy.x509", "expected an object, got an array")]
    [TestCase("{'x509':{'allowWildcardNames':'yes'}}", "authority.policy.x509.allowWildcardNames", "expected a boolean, got a string")]
    [TestCase("[]", "authority.policy", "expected an object, got an array")]
    public void Wrong_json_types_are_errors(string json, string path, string message)
    {
        var error = SingleError(json);
        error.Field.Should().Be(path);
        error.Message.Should().Be(message);
    }

    [Test]
    public void Keys_match_case_insensitively_and_null_is_absent_as_in_go()
    {
        var policy = Parse("{'X509':{'Allow':{'DNS':['example.com'],'ip':null},'deny':null},'ssh':null}");
        policy.X509.IsEmpty.Should().BeFalse();
        policy.Ssh.IsEmpty.Should().BeTrue();
        Refusal(() => policy.CheckSans(["example.org"])).Should().Be("dns name \"example.org\" not allowed");
    }

    [Test]
    public void Null_policy_is_no_policy()
    {
        using var document = JsonDocument.Parse("null");
        NamePolicy.Parse(document.RootElement).Should().BeSameAs(NamePolicy.None);
        NamePolicy.Parse(default).IsEmpty.Should().BeTrue();
        NamePolicy.FromConfig(null).IsEmpty.Should().BeTrue();
    }

    [Test]
    public void Provisioner_policy_errors_name_the_provisioner_path() =>
        SingleError("{'x509':{'allow':{'dns':['.x']}}}", "authority.provisioners[2].policy").Field.Should().Be("authority.provisioners[2].policy.x509.allow.dns[0]");

    [Test]
    public void From_config_uses_the_loaded_model_and_rejects_its_unknown_keys()
    {
        var config = new PolicyConfig { X509 = new X509PolicyConfig { Allow = new X509NamesConfig { Dns = ["*.example.com"] } } };
        var policy = NamePolicy.FromConfig(config);
        policy.CheckSans(["a.example.com"]);
        Refusal(() => policy.CheckSans(["example.com"])).Should().Be("dns name \"example.com\" not allowed");

        using var extra = JsonDocument.Parse("[]");
        var withTypo = config with { X509 = config.X509 with { Allow = config.X509.Allow with { ExtensionData = new Dictionary<string, JsonElement> { ["dnss"] = extra.RootElement } } } };
        FluentActions.Invoking(() => NamePolicy.FromConfig(withTypo)).Should().Throw<CaConfigException>()
            .Which.Errors.Single().Field.Should().Be("authority.policy.x509.allow.dnss");
    }

    [Test]
    public void From_ca_json_model()
    {
        var json = "{\"root\":\"r.crt\",\"crt\":\"i.crt\",\"key\":\"i.key\",\"address\":\":443\",\"dnsNames\":[\"ca\"],\"authority\":{\"policy\":{\"x509\":{\"allow\":{\"dns\":[\"*.corp.example\"]}}}}}";
        var config = CaConfig.Parse(json);
        var policy = NamePolicy.FromConfig(config.Authority.Policy);
        policy.CheckSans(["a.corp.example"]);
        Refusal(() => policy.CheckSans(["a.example"])).Should().Be("dns name \"a.example\" not allowed");
    }
}
