using System.Text.Json;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Configuration;

/// <summary>Claims JSON as step-ca re-marshals it: Go struct order, omitempty, Duration.String().</summary>
public class ClaimsConfigJsonTests
{
    [Test]
    public void Documentation_order_is_rewritten_in_struct_order_with_go_durations()
    {
        // authority.claims of the configuration guide's example, in its own (non-struct) order.
        var claims = ClaimsConfig.Parse("""
            { "minTLSCertDuration": "5m", "maxTLSCertDuration": "24h", "defaultTLSCertDuration": "24h",
              "disableRenewal": false, "allowRenewalAfterExpiry": false,
              "minHostSSHCertDuration": "5m", "maxHostSSHCertDuration": "1680h", "defaultHostSSHCertDuration": "720h",
              "minUserSSHCertDuration": "5m", "maxUserSSHCertDuration": "24h", "defaultUserSSHCertDuration": "16h" }
            """);

        claims.ToJson().Should().Be(
            """{"minTLSCertDuration":"5m0s","maxTLSCertDuration":"24h0m0s","defaultTLSCertDuration":"24h0m0s","minUserSSHCertDuration":"5m0s","maxUserSSHCertDuration":"24h0m0s","defaultUserSSHCertDuration":"16h0m0s","minHostSSHCertDuration":"5m0s","maxHostSSHCertDuration":"1680h0m0s","defaultHostSSHCertDuration":"720h0m0s","disableRenewal":false,"allowRenewalAfterExpiry":false}""");
    }

    [Test]
    public void Only_set_members_are_written_and_false_is_kept()
    {
        new ClaimsConfig { EnableSshCa = true }.ToJson().Should().Be("""{"enableSSHCA":true}""");
        new ClaimsConfig { DisableRenewal = false }.ToJson().Should().Be("""{"disableRenewal":false}""");
        new ClaimsConfig().ToJson().Should().Be("{}");
    }

    [Test]
    public void Fractional_and_sub_second_durations_use_go_formatting()
    {
        var claims = ClaimsConfig.Parse("""{"minTLSCertDuration":"1.5h","maxTLSCertDuration":"90m30s","defaultTLSCertDuration":"1500ms"}""");

        claims.ToJson().Should().Be("""{"minTLSCertDuration":"1h30m0s","maxTLSCertDuration":"1h30m30s","defaultTLSCertDuration":"1.5s"}""");
    }

    [Test]
    public void Unknown_members_are_kept_and_reported_but_not_echoed()
    {
        var warnings = new List<ConfigDiagnostic>();

        var claims = ConfigParse("""{"disableIssuedAtCheck":true,"enableSSHCA":true}""", warnings);

        claims.ExtensionData.Should().ContainKey("disableIssuedAtCheck");
        warnings.Should().ContainSingle().Which.Should().Be(ConfigDiagnostic.Warning("authority.claims.disableIssuedAtCheck", "unknown field; kept but not used"));
        claims.ToJson().Should().Be("""{"enableSSHCA":true}""");
    }

    [Test]
    public void Writes_into_an_enclosing_object()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("claims");
            new ClaimsConfig { MaxTlsCertDuration = TimeSpan.FromHours(8) }.WriteTo(writer);
            writer.WriteEndObject();
        }

        System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Should().Be("""{"claims":{"maxTLSCertDuration":"8h0m0s"}}""");
    }

    private static ClaimsConfig ConfigParse(string claims, List<ConfigDiagnostic> warnings) =>
        CaConfig.Parse("{\"authority\":{\"claims\":" + claims + "}}", warnings).Authority.Claims!;
}
