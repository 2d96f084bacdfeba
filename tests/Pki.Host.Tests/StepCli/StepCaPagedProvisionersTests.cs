using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// More provisioners than one <c>/provisioners</c> page holds (step-ca's default limit is 20): step
/// follows <c>nextCursor</c> for <c>step ca provisioner list</c> and to find the provisioner named by
/// <c>--provisioner</c>. The fixture's JWK provisioner is copied under 25 more names (same key).
/// </summary>
public sealed class StepCaPagedProvisionersTests : StepCliTests
{
    private const int Copies = 25;

    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync(config =>
    {
        var provisioners = config["authority"]!["provisioners"]!.AsArray();
        var jwk = provisioners[0]!;
        for (var i = 0; i < Copies; i++)
        {
            var copy = jwk.DeepClone().AsObject();
            copy["name"] = $"paged-{i:D2}";
            provisioners.Add(copy);
        }
    });

    [Test]
    public async Task Provisioner_list_follows_the_cursor_to_every_provisioner()
    {
        var listed = JsonNode.Parse(Step.Run("ca", "provisioner", "list").ShouldSucceed().Stdout)!.AsArray();

        var names = listed.Select(p => (string?)p!["name"]).ToList();
        names.Should().HaveCount(3 + Copies);
        names.Should().StartWith(new[] { "fixture-admin", "acme", "sshpop", "paged-00" }).And.EndWith("paged-24");
        var firstPage = JsonNode.Parse(await Client.GetStringAsync("/provisioners"))!;
        firstPage["provisioners"]!.AsArray().Count.Should().BeLessThan(names.Count, "the listing needs more than one page");
        firstPage["nextCursor"]!.GetValue<string>().Should().NotBeEmpty();
    }

    [Test]
    public void A_provisioner_on_the_last_page_issues()
    {
        var (crt, key) = (Step.NewPath("paged.crt"), Step.NewPath("paged.key"));

        Step.Run("ca", "certificate", "paged.step.test", crt, key, "--provisioner", "paged-24", "--provisioner-password-file", Step.PasswordFile)
            .ShouldSucceed().Stderr.Should().Contain("Provisioner: paged-24 (JWK)");

        using var issued = StepIssued.Read(crt, Pki);
        issued.DnsNames.Should().Equal("paged.step.test");
        // step's provisioner extension (1.3.6.1.4.1.37476.9000.64.1) names the provisioner that authorized it.
        var extension = issued.Leaf.Extensions["1.3.6.1.4.1.37476.9000.64.1"];
        extension.Should().NotBeNull();
        System.Text.Encoding.ASCII.GetString(extension!.RawData).Should().Contain("paged-24");
    }
}
