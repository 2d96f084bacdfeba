using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Configuration;

/// <summary>Reporting what a ca.json asks for that this build does not run.</summary>
public class FeatureSupportCheckTests
{
    [Test]
    public void Fixture_needs_ssh_templates_acme_and_sshpop()
    {
        var config = CaConfig.Parse(Fixtures.Text("pki", "config", "ca.json"));

        var found = FeatureSupportCheck.Check(config, FeatureSupport.CreateDefault());

        found.Select(f => f.ToString()).Should().BeEquivalentTo(
            "authority.provisioners[1].type: provisioner type \"ACME\" is not supported by this build; provisioner \"acme\" is ignored",
            "authority.provisioners[2].type: provisioner type \"SSHPOP\" is not supported by this build; provisioner \"sshpop\" is ignored",
            "ssh: is not supported by this build yet and is ignored",
            "templates: is not supported by this build yet and is ignored");
        found.Should().OnlyContain(f => f.Severity == ConfigDiagnosticSeverity.Warning);
    }

    [Test]
    public void Supported_sets_are_parameters()
    {
        var config = CaConfig.Parse(Fixtures.Text("pki", "config", "ca.json"));
        var support = FeatureSupport.CreateDefault();
        support.ProvisionerTypes.Add("acme");
        support.ProvisionerTypes.Add(ProvisionerTypeNames.SshPop);
        support.Features.Add(ConfigFeature.SshCertificateAuthority);
        support.Features.Add(ConfigFeature.SshConfigurationTemplates);

        FeatureSupportCheck.Check(config, support).Should().BeEmpty();
    }

    [Test]
    public void Provisioner_ssh_templates_are_reported_only_without_the_ssh_ca()
    {
        var config = CaConfig.Parse("""{"authority":{"provisioners":[{"type":"JWK","name":"p","options":{"ssh":{"template":"{}"}}}]}}""");
        var support = FeatureSupport.CreateDefault();

        FeatureSupportCheck.Check(config, support).Select(f => f.Field).Should().Equal("authority.provisioners[0].options.ssh");
        support.Features.Add(ConfigFeature.SshCertificateAuthority);
        FeatureSupportCheck.Check(config, support).Should().BeEmpty();
    }

    [Test]
    public void Signing_storage_and_ca_mode_mismatches_are_fatal()
    {
        var config = CaConfig.Parse("""
            {"kms":{"type":"PKCS11"},"db":{"type":"postgresql","dataSource":"postgresql://u@h/"},
             "authority":{"type":"cloudcas","deploymentType":"linked"}}
            """);

        FeatureSupportCheck.Check(config, FeatureSupport.CreateDefault()).Should().BeEquivalentTo(new[]
        {
            ConfigDiagnostic.Error("kms.type", "kms type \"pkcs11\" is not supported by this build"),
            ConfigDiagnostic.Error("db.type", "database type \"postgresql\" is not supported by this build"),
            ConfigDiagnostic.Error("authority.type", "certificate authority service \"cloudcas\" (registration authority mode) is not supported by this build"),
            ConfigDiagnostic.Error("authority.deploymentType", "deployment type \"linked\" is not supported by this build"),
        });
    }

    [Test]
    public void Kms_type_may_come_from_the_uri_and_softkms_is_supported()
    {
        var support = FeatureSupport.CreateDefault();

        FeatureSupportCheck.Check(CaConfig.Parse("""{"kms":{"uri":"yubikey:slot-id=9c"}}"""), support)
            .Should().ContainSingle().Which.Field.Should().Be("kms.uri");
        FeatureSupportCheck.Check(CaConfig.Parse("""{"kms":{"type":"softkms"},"db":{"type":"BadgerV2"},"authority":{"type":"SoftCAS","deploymentType":"standalone"}}"""), support)
            .Should().BeEmpty();
    }

    [Test]
    public void Optional_features_are_warnings_naming_their_field()
    {
        var config = CaConfig.Parse("""
            {"insecureAddress":":8080","metricsAddress":":9090","monitoring":{},"crl":{"enabled":true},
             "authority":{"policy":{"x509":{"allow":{"dns":["*.local"]}}},"enableAdmin":true,"template":{"country":"DE"}}}
            """);

        FeatureSupportCheck.Check(config, FeatureSupport.CreateDefault()).Select(f => f.Field).Should().BeEquivalentTo(
            "insecureAddress", "metricsAddress", "monitoring", "crl.enabled", "authority.policy", "authority.enableAdmin", "authority.template");
    }

    [Test]
    public void Disabled_or_empty_blocks_are_not_reported()
    {
        var config = CaConfig.Parse("""{"insecureAddress":"","crl":{"enabled":false},"authority":{"template":{},"enableAdmin":false}}""");

        FeatureSupportCheck.Check(config, FeatureSupport.CreateDefault()).Should().BeEmpty();
    }
}
