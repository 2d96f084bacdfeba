using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Tests.Pending;

/// <summary>The catalog over step-ca's types as <c>AddStepProvisioners()</c> registers them.</summary>
public sealed class ProvisionerCatalogTests
{
    private static ProvisionerCatalog Build(params ProvisionerConfig[] entries) => StepCatalog.Build(entries);

    private static ProvisionerCatalog Build(ProvisionerConfig[] entries, List<ConfigDiagnostic> diagnostics) => StepCatalog.Build(entries, diagnostics: diagnostics);

    private static ProvisionerCatalog FixtureCatalog()
    {
        using var doc = JsonDocument.Parse(Fixtures.Text("pki", "config", "ca.json"));
        return Build(doc.RootElement.GetProperty("authority").GetProperty("provisioners").EnumerateArray().Select(e => ProvisionerConfig.FromJson(e.Clone())).ToArray());
    }

    [Test]
    public void Ids_follow_step_ca_rules()
    {
        FixtureCatalog().All.Select(p => p.Id).Should().Equal("fixture-admin:RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw", "acme/acme", "sshpop/sshpop");
    }

    [Test]
    public void Paging_reproduces_step_ca_cursors()
    {
        var catalog = FixtureCatalog();
        var first = catalog.List(null, 1);
        first.Items.Select(p => p.Name).Should().Equal("fixture-admin");
        first.NextCursor.Should().Be("1c93e2d7735e86ef1a90b781c6db2fa1f");
        var second = catalog.List(first.NextCursor, 1);
        second.Items.Select(p => p.Name).Should().Equal("acme");
        second.NextCursor.Should().Be("2c09dafcd1cc85b2e43d8d4a0167681cf");
        var third = catalog.List(second.NextCursor, 1);
        third.Items.Select(p => p.Name).Should().Equal("sshpop");
        third.NextCursor.Should().BeEmpty();
        catalog.List("", 0).Items.Should().HaveCount(3, "limit 0 means the default of 20");
    }

    [Test]
    public void Listing_json_matches_step_ca_for_every_provisioner()
    {
        var expected = JsonDocument.Parse(Fixtures.Text("http", "07-get-provisioners.body.json")).RootElement.GetProperty("provisioners");
        var catalog = FixtureCatalog();
        foreach (var (provisioner, index) in catalog.All.Select((p, i) => (p, i)))
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                catalog.WriteListing(provisioner, writer);
            }
            System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Should().Be(expected[index].GetRawText());
        }
    }

    [Test]
    public void Duplicate_names_stop_the_build_naming_them()
    {
        var entry = ProvisionerConfig.FromJson(JsonDocument.Parse("""{"type":"ACME","name":"twice"}""").RootElement.Clone());
        var act = () => Build(entry, entry);
        act.Should().Throw<CaConfigException>().WithMessage("*twice*");
    }

    [Test]
    public void Unbuilt_types_warn_once_and_answer_not_implemented()
    {
        var diagnostics = new List<ConfigDiagnostic>();
        var entry = ProvisionerConfig.FromJson(JsonDocument.Parse("""{"type":"oidc","name":"google","clientID":"abc"}""").RootElement.Clone());
        var catalog = Build([entry], diagnostics);
        diagnostics.Should().ContainSingle(d => d.Severity == ConfigDiagnosticSeverity.Warning && d.Message.Contains("google"));
        var provisioner = catalog.FindById("abc")!;
        provisioner.Type.Should().Be("OIDC");
        var act = async () => await provisioner.AuthorizeRevokeAsync(null!);
        act.Should().ThrowAsync<Errors.PkiException>().Result.Which.Kind.Should().Be(Errors.PkiErrorKind.NotImplemented);
    }
}
