using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary><c>authority.disableGetSSHHosts</c>: <c>/ssh/hosts</c> answers 404 as in step-ca; without <c>ssh</c>, <c>/ssh/config</c> and <c>/ssh/bastion</c> answer 404.</summary>
public sealed class SshHostsDisabledTests : ServedPkiTests
{
    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync(config =>
    {
        config["authority"]!["disableGetSSHHosts"] = true;
        config.Remove("ssh");
    });

    [TestCase("/ssh/hosts")]
    [TestCase("/1.0/ssh/get-hosts")]
    public async Task Hosts_answers_404(string path)
    {
        using var response = await Client.GetAsync(path);

        await response.ShouldBeStepErrorAsync(404);
        Pki.Log.Lines.Should().Contain(line => line.Contains("ssh hosts list api disabled"));
    }

    [TestCase("/ssh/config", """{"type":"user","data":{"StepPath":"/s"}}""")]
    [TestCase("/ssh/bastion", """{"hostname":"h"}""")]
    public async Task Config_and_bastion_answer_404_without_ssh(string path, string body)
    {
        using var response = await Client.PostRawAsync(path, body);

        await response.ShouldBeStepErrorAsync(404);
    }

    [Test]
    public async Task Check_host_still_answers_from_the_database()
    {
        using var response = await Client.PostRawAsync("/ssh/check-host", """{"type":"host","principal":"nobody"}""");

        (await response.Content.ReadAsStringAsync()).Should().Be("{\"exists\":false}\n");
    }
}
