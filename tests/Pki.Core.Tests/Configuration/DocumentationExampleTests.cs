using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Configuration;

/// <summary>Every JSON example of step-ca's configuration and provisioner guides (Data/README.md).</summary>
public class DocumentationExampleTests
{
    [TestCaseSource(typeof(ConfigTestData), nameof(ConfigTestData.SeedExamples))]
    public void Example_parses_without_errors_and_round_trips(string file)
    {
        var warnings = new List<ConfigDiagnostic>();

        var config = CaConfig.Parse(ConfigTestData.Text(file), warnings);

        warnings.Should().BeEmpty();
        CaConfig.Parse(config.ToJson()).ToJson().Should().Be(config.ToJson());
    }

    [Test]
    public void Full_example_parses_every_field()
    {
        var config = CaConfig.Parse(ConfigTestData.Text("seed-000-example.json"));

        config.Roots.Should().Equal("examples/pki/secrets/root_ca.crt");
        config.FederatedRoots.Should().Equal("examples/pki/secrets/federated_root_ca.crt");
        config.IntermediateCertificate.Should().Be("examples/pki/secrets/intermediate_ca.crt");
        config.IntermediateKey.Should().Be("examples/pki/secrets/intermediate_ca_key");
        config.Address.Should().Be(":9000");
        config.DnsNames.Should().Equal("localhost");
        config.Logger!.Format.Should().Be("text");
        config.Ssh!.HostKey.Should().Be("/examples/pki/secrets/");
        config.Ssh.UserKey.Should().Be("/examples/pki/secrets/secrets.user.key");
        config.Db.Should().BeEquivalentTo(new { Type = "badgerv2", DataSource = "/Users/carl/.step/authorities/config-example/db" });
        config.Crl!.Enabled.Should().BeFalse();
        config.IsCrlEnabled.Should().BeFalse();
        config.Tls!.CipherSuites.Should().HaveCount(2);
        config.Tls.MinVersion.Should().Be(1.2);
        config.Tls.MaxVersion.Should().Be(1.3);
        config.Password.Should().Be("p@55w0rd");

        var claims = config.Authority.Claims!;
        claims.Should().Be(new ClaimsConfig
        {
            MinTlsCertDuration = TimeSpan.FromMinutes(5),
            MaxTlsCertDuration = TimeSpan.FromHours(24),
            DefaultTlsCertDuration = TimeSpan.FromHours(24),
            DisableRenewal = false,
            AllowRenewalAfterExpiry = false,
            MinHostSshCertDuration = TimeSpan.FromMinutes(5),
            MaxHostSshCertDuration = TimeSpan.FromHours(1680),
            DefaultHostSshCertDuration = TimeSpan.FromHours(720),
            MinUserSshCertDuration = TimeSpan.FromMinutes(5),
            MaxUserSshCertDuration = TimeSpan.FromHours(24),
            DefaultUserSshCertDuration = TimeSpan.FromHours(16),
        });

        var policy = config.Authority.Policy!;
        policy.X509!.Allow!.Dns.Should().Equal("*.local");
        policy.Ssh!.User!.Allow!.Email.Should().Equal("@local");
        policy.Ssh.Host!.Allow!.Dns.Should().Equal("*.local");

        var provisioners = config.Authority.Provisioners;
        provisioners.Select(p => p.Type).Should().Equal("jwk", "OIDC", "SSHPOP", "ACME");
        provisioners[0].Claims.Should().Be(new ClaimsConfig { MinTlsCertDuration = TimeSpan.FromMinutes(1), DefaultTlsCertDuration = TimeSpan.FromMinutes(2) });
        provisioners[0].Options!.X509!.TemplateFile.Should().Be("templates/certs/x509/default.tpl");
        provisioners[0].Options!.Ssh!.TemplateFile.Should().Be("templates/certs/ssh/default.tpl");
        provisioners[1].Claims!.EnableSshCa.Should().BeTrue();
        provisioners[1].Claims!.DisableRenewal.Should().BeTrue();
        provisioners[1].Json.GetProperty("listenAddress").GetString().Should().Be(":10000");
        provisioners[3].Name.Should().Be("my-acme-provisioner");
    }

    [Test]
    public void Full_example_claims_merge_as_documented()
    {
        var authority = CaConfig.Parse(ConfigTestData.Text("seed-000-example.json")).Authority;

        var jwk = authority.ClaimsFor(authority.Provisioners[0]);
        var oidc = authority.ClaimsFor(authority.Provisioners[1]);

        (jwk.MinTlsCertDuration, jwk.DefaultTlsCertDuration, jwk.MaxTlsCertDuration).Should().Be((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromHours(24)));
        jwk.MaxHostSshCertDuration.Should().Be(TimeSpan.FromHours(1680));
        (oidc.DefaultTlsCertDuration, oidc.MaxTlsCertDuration, oidc.EnableSshCa, oidc.DisableRenewal).Should().Be((TimeSpan.FromHours(2), TimeSpan.FromHours(8), true, true));
    }

    [Test]
    public void Database_examples_parse()
    {
        CaConfig.Parse(ConfigTestData.Text("seed-000-db-badger.json")).Db.Should().BeEquivalentTo(new DatabaseConfig
        {
            Type = "badger", DataSource = "./.step/db", ValueDir = "./.step/valuedb", BadgerFileLoadingMode = "MemoryMap",
        });
        CaConfig.Parse(ConfigTestData.Text("seed-000-db-bbolt.json")).Db!.Type.Should().Be("bbolt");
        var mysql = CaConfig.Parse(ConfigTestData.Text("seed-000-db-mysql.json")).Db!;
        (mysql.Type, mysql.Database, mysql.IsEmbedded).Should().Be(("mysql", "myDBName", false));
        var postgres = CaConfig.Parse(ConfigTestData.Text("seed-000-db-postgresql.json")).Db!;
        (postgres.Type, postgres.DataSource, postgres.Database).Should().Be(("postgresql", "postgresql://user:password@", "myDBName"));
    }

    [TestCase("seed-000-cloudkms.json", "cloudkms", "cloudkms:credentials-file=/path/to/gcloud-kms-credentials.json", "projects/smallstep/locations/global/keyRings/step-ca/cryptoKeys/intermediate/cryptoKeyVersions/1")]
    [TestCase("seed-000-awskms.json", "awskms", "awskms:region=us-east-2;profile=foo;credentials-file=/path/to/credentials", "awskms:key-id=f879f239-feb6-4596-9ed2-b1606277c7fe")]
    [TestCase("seed-000-azurekms.json", "azurekms", null, "azurekms:name=intermediate-ca-key;vault=example-vault-0?version=15faf8b8b80d4f1ead067c6383a38b8f&hsm=true")]
    [TestCase("seed-000-pkcs11.json", "pkcs11", "$PKCS_URI", "pkcs11:id=7332;object=intermediate-ca")]
    [TestCase("seed-000-yubikey.json", "yubikey", "yubikey:management-key=01020304...?pin-value=123456", "yubikey:slot-id=83")]
    public void Kms_examples_parse(string file, string type, string? uri, string key)
    {
        var config = CaConfig.Parse(ConfigTestData.Text(file));

        config.Kms!.Type.Should().Be(type);
        config.Kms.EffectiveType.Should().Be(type);
        config.Kms.Uri.Should().Be(uri);
        config.IntermediateKey.Should().Be(key);
        config.Roots.Should().Equal("/etc/step-ca/certs/root_ca.crt");
        config.IntermediateCertificate.Should().Be("/etc/step-ca/certs/intermediate_ca.crt");
        config.DnsNames.Should().Equal(CaConfig.DefaultDnsNames);
    }

    [TestCase("seed-000-cloudkms-ssh.json", "projects/smallstep/locations/global/keyRings/step-ca/cryptoKeys/ssh-host/cryptoKeyVersions/1")]
    [TestCase("seed-000-awskms-ssh.json", "awskms:key-id=d48e502a-09bc-4bf7-9af8-ae1bccedc931")]
    [TestCase("seed-000-pkcs11-ssh.json", "pkcs11:id=7333;object=ssh-host-ca")]
    [TestCase("seed-000-yubikey-ssh.json", "yubikey:slot-id=84")]
    public void Kms_ssh_examples_parse(string file, string hostKey)
    {
        CaConfig.Parse(ConfigTestData.Text(file)).Ssh!.HostKey.Should().Be(hostKey);
    }

    [Test]
    public void Provisioner_guide_examples_parse()
    {
        var provisioners = CaConfig.Parse(ConfigTestData.Text("seed-002-provisioners.json")).Authority.Provisioners;

        provisioners.Select(p => p.Type).Should().Equal("JWK", "OIDC", "X5C", "SSHPOP", "ACME", "SCEP", "K8sSA", "AWS", "GCP", "Azure");
        provisioners[0].Claims!.MaxHostSshCertDuration.Should().Be(TimeSpan.FromHours(1680));
        provisioners[0].Claims!.EnableSshCa.Should().BeTrue();
        provisioners[5].Json.GetProperty("encryptionAlgorithmIdentifier").GetInt32().Should().Be(2);
        provisioners[7].Json.GetProperty("instanceAge").GetString().Should().Be("1h");
        provisioners[7].Claims!.MaxTlsCertDuration.Should().Be(TimeSpan.FromHours(2160));
        provisioners[9].Json.GetProperty("tenantId").GetString().Should().Be("b17c217c-84db-43f0-babd-e06a71083cda");
        provisioners.Should().OnlyContain(p => ProvisionerTypeNames.All.Contains(p.Type));
    }

    [Test]
    public void Remote_management_and_insecure_address_examples_parse()
    {
        var admin = CaConfig.Parse(ConfigTestData.Text("seed-002-enable-admin.json")).Authority;
        admin.EnableAdmin.Should().BeTrue();
        admin.Provisioners.Should().BeEmpty();

        CaConfig.Parse(ConfigTestData.Text("seed-002-insecure-address.json")).InsecureAddress.Should().Be(":8080");
    }
}
