using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>Without a ca.json <c>ssh</c> block, SSH signing answers 501 and the key lists 404, as in step-ca.</summary>
public sealed class SshDisabledTests : ServedPkiTests
{
    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync(config => config.Remove("ssh"));

    [Test]
    public async Task Sign_answers_501_before_looking_at_the_token()
    {
        var token = Pki.Provisioner.Signer().Sign(Pki.Provisioner.Descriptor("alice", "https://127.0.0.1/1.0/ssh/sign") with
        {
            Sans = null,
            Step = System.Text.Json.JsonDocument.Parse("""{"ssh":{"certType":"user"}}""").RootElement.Clone(),
        });

        using var response = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = "AAAAC3NzaC1lZDI1NTE5AAAAIGem9uHiJEl0JtDw8ni2+jeDXHLI2wHR/IYIDIAhxTs7", ott = token });

        await response.ShouldBeStepErrorAsync(501, StepResponses.NotImplemented);
        Pki.CountRows("used_ott").Should().Be(0);
        Pki.Log.Lines.Should().Contain(line => line.Contains("ssh certificate flows are not enabled"));
    }

    [TestCase("/ssh/roots")]
    [TestCase("/1.0/ssh/federation")]
    public async Task Key_lists_answer_404(string path)
    {
        using var response = await Client.GetAsync(path);

        await response.ShouldBeStepErrorAsync(404);
    }
}
