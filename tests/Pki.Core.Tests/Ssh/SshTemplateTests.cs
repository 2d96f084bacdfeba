using System.Text.Json;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>step's SSH templates over step's template data give the JSON step gives.</summary>
public sealed class SshTemplateTests
{
    [Test]
    public void Default_template_renders_step_defaults()
    {
        var data = new SshTemplateData(SshCertificateType.User, "alice@example.com", ["alice"]).SetToken(new Dictionary<string, object?> { ["sub"] = "alice" });

        var json = GoTemplate.Parse("ssh", SshTemplates.Default).Render(data.ToTemplateData());

        Normalize(json).Should().Be("""{"type":"user","keyId":"alice@example.com","principals":["alice"],"extensions":{"permit-X11-forwarding":"","permit-agent-forwarding":"","permit-port-forwarding":"","permit-pty":"","permit-user-rc":""},"criticalOptions":null}""");
    }

    [Test]
    public void Host_data_has_no_default_extensions_and_options_can_be_added()
    {
        var data = new SshTemplateData(SshCertificateType.Host, "h", ["h"]).AddCriticalOption("force-command", "x").AddExtension("e", "");

        var json = GoTemplate.Parse("ssh", SshTemplates.Default).Render(data.ToTemplateData());

        Normalize(json).Should().Be("""{"type":"host","keyId":"h","principals":["h"],"extensions":{"e":""},"criticalOptions":{"force-command":"x"}}""");
    }

    [Test]
    public void Template_data_is_a_snapshot()
    {
        var data = new SshTemplateData(SshCertificateType.User, "k", ["p"]);
        var snapshot = data.ToTemplateData();
        data.AddExtension("later", "");
        ((IReadOnlyDictionary<string, object?>)snapshot["Extensions"]!).Should().NotContainKey("later");
    }

    [Test]
    public void A_fail_call_in_a_custom_template_stops_issuance()
    {
        const string Template = """{{ if not (has "admins" .Token.groups) }}{{ fail "not an admin" }}{{ end }}{}""";
        var data = new SshTemplateData(SshCertificateType.User, "k", ["p"]).SetToken(new Dictionary<string, object?> { ["groups"] = new List<object?> { "dev" } });

        FluentActions.Invoking(() => GoTemplate.Parse("ssh", Template).Render(data.ToTemplateData()))
            .Should().Throw<TemplateFailException>().Which.FailMessage.Should().Be("not an admin");
    }

    private static string Normalize(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}
