using System.Text.Json;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Tests.Templates;

/// <summary>
/// step's default leaf template (smallstep/crypto <c>x509util/templates.go</c>,
/// <c>DefaultLeafTemplate</c>). The CSR's public key is a <see cref="TemplateTypedValue"/> carrying
/// the Go type name, which is what <c>typeIs</c> compares.
/// </summary>
public sealed class StepLeafTemplateTests
{
    private const string DefaultLeafTemplate =
        """{ "subject": {{ toJson .Subject }}, "sans": {{ toJson .SANs }}, {{- if typeIs "*rsa.PublicKey" .Insecure.CR.PublicKey }} "keyUsage": ["keyEncipherment", "digitalSignature"], {{- else }} "keyUsage": ["digitalSignature"], {{- end }} "extKeyUsage": ["serverAuth", "clientAuth"] }""";

    [TestCase("*rsa.PublicKey", """["keyEncipherment", "digitalSignature"]""")]
    [TestCase("*ecdsa.PublicKey", """["digitalSignature"]""")]
    [TestCase("ed25519.PublicKey", """["digitalSignature"]""")]
    public void Renders_the_default_leaf_template(string keyType, string keyUsage)
    {
        var data = new Dictionary<string, object?>
        {
            ["Subject"] = new Dictionary<string, object?> { ["commonName"] = "example.com" },
            ["SANs"] = new List<object?>
            {
                new Dictionary<string, object?> { ["type"] = "dns", ["value"] = "example.com" },
                new Dictionary<string, object?> { ["type"] = "ip", ["value"] = "10.0.0.1" },
            },
            ["Insecure"] = new Dictionary<string, object?>
            {
                ["CR"] = new Dictionary<string, object?> { ["PublicKey"] = new TemplateTypedValue(keyType) },
            },
        };

        var rendered = GoTemplate.Parse("leaf", DefaultLeafTemplate).Render(data);

        rendered.Should().Be(
            """{ "subject": {"commonName":"example.com"}, "sans": [{"type":"dns","value":"example.com"},{"type":"ip","value":"10.0.0.1"}],"""
            + $$""" "keyUsage": {{keyUsage}}, "extKeyUsage": ["serverAuth", "clientAuth"] }""");
        using var json = JsonDocument.Parse(rendered);
        json.RootElement.GetProperty("keyUsage").GetArrayLength().Should().Be(keyType.StartsWith("*rsa", StringComparison.Ordinal) ? 2 : 1);
    }

    [Test]
    public void A_missing_public_key_is_not_rsa()
    {
        var data = new Dictionary<string, object?> { ["Subject"] = new Dictionary<string, object?>(), ["SANs"] = new List<object?>() };
        GoTemplate.Parse("leaf", DefaultLeafTemplate).Render(data)
            .Should().Be("""{ "subject": {}, "sans": [], "keyUsage": ["digitalSignature"], "extKeyUsage": ["serverAuth", "clientAuth"] }""");
    }

    [Test]
    public void Typed_values_print_and_serialize_as_their_value()
    {
        var data = new Dictionary<string, object?> { ["K"] = new TemplateTypedValue("*x509.Certificate", new Dictionary<string, object?> { ["Serial"] = "01" }) };
        GoTemplate.Parse("t", "{{ typeOf .K }} {{ .K.Serial }} {{ toJson .K }}").Render(data)
            .Should().Be("*x509.Certificate 01 {\"Serial\":\"01\"}");
    }
}
