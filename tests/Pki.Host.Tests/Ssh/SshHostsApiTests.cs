using System.Net;
using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>
/// <c>/ssh/check-host</c>, <c>/ssh/hosts</c> (and <c>/ssh/get-hosts</c>, HEAD), <c>/ssh/bastion</c> and
/// hostile <c>/ssh/config</c> bodies on the host over the fixture PKI (with an <c>ssh.bastion</c>):
/// host principals recorded by <c>/ssh/sign</c> in <c>ssh_hosts</c>/<c>ssh_host_principals</c>, and
/// step-ca's 4xx answers.
/// </summary>
public sealed class SshHostsApiTests : ServedPkiTests
{
    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync(config =>
        config["ssh"]!["bastion"] = JsonNode("""{"hostname":"bastion.internal","user":"jump","port":"2222"}"""));

    [OneTimeSetUp]
    public async Task SignAHostCertificate()
    {
        var key = new SshKeygenTool(Pki.StepPath).NewKey();
        var token = SshTokens.Sign(Pki.Provisioner, "Web-1.Internal", new { certType = "host", principals = new[] { "Web-1.Internal", "10.0.0.7" } });
        using var response = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(key), ott = token, certType = "host" });
        ((int)response.StatusCode).Should().Be(201, await response.Content.ReadAsStringAsync());
    }

    [TestCase("web-1.internal", true)]
    [TestCase("WEB-1.INTERNAL", true)]
    [TestCase("10.0.0.7", true)]
    [TestCase("web-2.internal", false)]
    public async Task Check_host_answers_whether_a_host_certificate_was_issued_for_the_principal(string principal, bool exists)
    {
        using var response = await Client.PostJsonAsync("/1.0/ssh/check-host", new { type = "host", principal, token = "not checked by step-ca either" });

        (await response.Content.ReadAsStringAsync()).Should().Be($"{{\"exists\":{(exists ? "true" : "false")}}}\n");
    }

    [TestCase("/ssh/hosts")]
    [TestCase("/1.0/ssh/get-hosts")]
    public async Task Hosts_lists_the_principals_of_valid_host_certificates(string path)
    {
        using var response = await Client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var hosts = json.RootElement.GetProperty("hosts").EnumerateArray().ToList();
        hosts.Select(h => h.GetProperty("hostname").GetString()).Should().BeEquivalentTo("10.0.0.7", "web-1.internal");
        hosts[0].GetRawText().Should().StartWith("{\"hid\":\"\",\"host_tags\":null,\"hostname\":");
    }

    [Test]
    public async Task Hosts_answers_head_as_get()
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/ssh/hosts"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Bastion_is_returned_for_other_hosts_and_not_for_itself()
    {
        using var other = await Client.PostJsonAsync("/1.0/ssh/bastion", new { user = "alice", hostname = "web-1.internal" });
        using var itself = await Client.PostJsonAsync("/1.0/ssh/bastion", new { user = "alice", hostname = "Bastion.Internal" });

        (await other.Content.ReadAsStringAsync()).Should().Be("{\"hostname\":\"web-1.internal\",\"bastion\":{\"hostname\":\"bastion.internal\",\"user\":\"jump\",\"port\":\"2222\"}}\n");
        (await itself.Content.ReadAsStringAsync()).Should().Be("{\"hostname\":\"Bastion.Internal\"}\n");
    }

    [TestCase("/ssh/check-host", """{"type":"user","principal":"a"}""", "unsupported type 'user'")]
    [TestCase("/ssh/check-host", """{"type":"host"}""", "missing or empty principal")]
    [TestCase("/ssh/check-host", """{"type":"host","principal":7}""", "error decoding json")]
    [TestCase("/ssh/bastion", """{"user":"a"}""", "missing or empty hostname")]
    [TestCase("/ssh/bastion", "[1,2]", "error decoding json")]
    [TestCase("/ssh/config", """{"type":"admin"}""", "invalid type 'admin'")]
    [TestCase("/ssh/config", """{"data":{"StepPath":1}}""", "error decoding json")]
    [TestCase("/ssh/config", """{"data":["x"]}""", "error decoding json")]
    [TestCase("/ssh/config", "{", "error decoding json")]
    public async Task Hostile_bodies_get_step_ca_400s(string path, string body, string reason)
    {
        using var response = await Client.PostRawAsync(path, body);

        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest(reason));
    }

    [Test]
    public async Task A_host_config_request_without_a_required_key_is_a_400_naming_it()
    {
        using var response = await Client.PostRawAsync("/ssh/config/host", """{"type":"host","data":{"Key":"k"}}""");

        ((int)response.StatusCode).Should().Be(400);
        // Go's encoding/json escapes < and > in the message.
        (await response.Content.ReadAsStringAsync()).Should().Contain("required variable 'Certificate' is missing, please use `--set \\u003ckey=value\\u003e` flag");
    }

    [Test]
    public async Task A_config_request_without_data_is_never_a_500()
    {
        // .User is absent without data; step-ca's Go templates fail on .User.GOOS (a 500 there), our
        // engine reads a missing map as empty and prints <no value>.
        using var response = await Client.PostRawAsync("/ssh/config", "{}");

        ((int)response.StatusCode).Should().BeLessThan(500, await response.Content.ReadAsStringAsync());
    }

    private static System.Text.Json.Nodes.JsonNode JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;
}
