using System.Text.Json;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Configuration;

/// <summary>Writing ca.json as <c>step ca init</c> does (Go struct order, omitempty, tabs).</summary>
public class CaConfigWriterTests
{
    [Test]
    public void A_config_built_in_code_is_written_exactly_like_step_ca_init()
    {
        // What an init command builds: the fixture's values, provisioners as JSON objects.
        var fixture = CaConfig.Parse(Fixtures.Text("pki", "config", "ca.json"));
        var config = new CaConfig
        {
            Roots = ["certs/root_ca.crt"],
            IntermediateCertificate = "certs/intermediate_ca.crt",
            IntermediateKey = "secrets/intermediate_ca_key",
            Address = "127.0.0.1:9444",
            DnsNames = ["localhost", "127.0.0.1"],
            Ssh = new SshConfig { HostKey = "secrets/ssh_host_ca_key", UserKey = "secrets/ssh_user_ca_key" },
            Logger = new LoggerConfig { Format = "text" },
            Db = new DatabaseConfig { Type = "badgerv2", DataSource = "db" },
            Authority = new AuthorityConfig { Provisioners = fixture.Authority.Provisioners.Select(p => ProvisionerConfig.FromJson(p.Json)).ToList() },
            Tls = new TlsConfig(),
            Templates = fixture.Templates,
        };

        config.ToJson().Should().Be(Fixtures.Text("pki", "config", "ca.json"));
    }

    [Test]
    public void Every_block_is_written_in_step_order_with_go_omitempty()
    {
        var config = CaConfig.Parse("""
            {"metricsAddress":":9090","crl":{"enabled":true,"generateOnRevoke":true,"cacheDuration":"24h","renewPeriod":"16h","idpURL":"https://ca/1.0/crl"},
             "commonName":"My CA","templates":{"data":{"a":"b"}},"password":"pw","tls":{"renegotiation":true},
             "authority":{"disableGetSSHHosts":true,"enableAdmin":true,"backdate":"90s","disableIssuedAtCheck":true,
               "policy":{"ssh":{"host":{"deny":{"dns":["bad.local"]}}},"x509":{"allowWildcardNames":true,"allow":{"uri":["*.x"],"cn":["c"]}}},
               "claims":{"enableSSHCA":true},"template":{"commonName":"cn","country":"DE"},"deploymentType":"standalone","authorityId":"id",
               "config":{"k":1},"credentialsFile":"cf","certificateIssuer":{"type":"x5c"},"certificateAuthority":"https://up","type":"stepcas"},
             "monitoring":{"m":true},"db":{"database":"d","type":"mysql","dataSource":"dsn"},"logger":{"traceHeader":"X-Id"},
             "ssh":{"bastion":{"hostname":"b","port":"22"},"addUserCommand":"cmd","addUserPrincipal":"p","keys":[{"key":{"kty":"EC"},"type":"user"}]},
             "kms":{"region":"r","type":"awskms"},"dnsNames":["ca.local"],"insecureAddress":":80","address":":443","key":"k","crt":"c",
             "federatedRoots":[],"root":["r1","r2"]}
            """);

        config.ToJson().Should().Be("""
            {
            	"root": [
            		"r1",
            		"r2"
            	],
            	"federatedRoots": [],
            	"crt": "c",
            	"key": "k",
            	"address": ":443",
            	"insecureAddress": ":80",
            	"dnsNames": [
            		"ca.local"
            	],
            	"kms": {
            		"type": "awskms",
            		"region": "r"
            	},
            	"ssh": {
            		"hostKey": "",
            		"userKey": "",
            		"keys": [
            			{
            				"type": "user",
            				"federated": false,
            				"key": {
            					"kty": "EC"
            				}
            			}
            		],
            		"addUserPrincipal": "p",
            		"addUserCommand": "cmd",
            		"bastion": {
            			"hostname": "b",
            			"port": "22"
            		}
            	},
            	"logger": {
            		"traceHeader": "X-Id"
            	},
            	"db": {
            		"type": "mysql",
            		"dataSource": "dsn",
            		"database": "d",
            		"badgerFileLoadingMode": ""
            	},
            	"monitoring": {
            		"m": true
            	},
            	"authority": {
            		"type": "stepcas",
            		"certificateAuthority": "https://up",
            		"certificateIssuer": {
            			"type": "x5c"
            		},
            		"credentialsFile": "cf",
            		"config": {
            			"k": 1
            		},
            		"authorityId": "id",
            		"deploymentType": "standalone",
            		"template": {
            			"country": "DE",
            			"commonName": "cn"
            		},
            		"claims": {
            			"enableSSHCA": true
            		},
            		"policy": {
            			"x509": {
            				"allow": {
            					"cn": [
            						"c"
            					],
            					"uri": [
            						"*.x"
            					]
            				},
            				"allowWildcardNames": true
            			},
            			"ssh": {
            				"host": {
            					"deny": {
            						"dns": [
            							"bad.local"
            						]
            					}
            				}
            			}
            		},
            		"disableIssuedAtCheck": true,
            		"backdate": "1m30s",
            		"enableAdmin": true,
            		"disableGetSSHHosts": true
            	},
            	"tls": {
            		"cipherSuites": [
            			"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            			"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
            		],
            		"minVersion": 1.2,
            		"maxVersion": 1.3,
            		"renegotiation": true
            	},
            	"password": "pw",
            	"templates": {
            		"data": {
            			"a": "b"
            		}
            	},
            	"commonName": "My CA",
            	"crl": {
            		"enabled": true,
            		"generateOnRevoke": true,
            		"cacheDuration": "24h0m0s",
            		"renewPeriod": "16h0m0s",
            		"idpURL": "https://ca/1.0/crl"
            	},
            	"metricsAddress": ":9090"
            }
            """.Replace("\r\n", "\n"));
    }

    [Test]
    public void A_minimal_config_gets_step_cas_fixed_members()
    {
        new CaConfig().ToJson().Should().Be(
            "{\n\t\"root\": \"\",\n\t\"federatedRoots\": null,\n\t\"crt\": \"\",\n\t\"key\": \"\",\n\t\"address\": \"\",\n\t\"insecureAddress\": \"\",\n\t\"dnsNames\": [\n\t\t\"localhost\",\n\t\t\"127.0.0.1\",\n\t\t\"::1\"\n\t],\n\t\"authority\": {}\n}");
    }

    [Test]
    public void Text_is_escaped_readably()
    {
        var json = new CaConfig { Password = "p\"w\\+é\n<&>" }.ToJson();

        json.Should().Contain("\"password\": \"p\\\"w\\\\+é\\n<&>\"");
        CaConfig.Parse(json).Password.Should().Be("p\"w\\+é\n<&>");
    }

    [Test]
    public void Writes_into_a_utf8_json_writer()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            new CaConfig { Address = ":443" }.WriteTo(writer);
        }

        JsonDocument.Parse(buffer.ToArray()).RootElement.GetProperty("address").GetString().Should().Be(":443");
    }

    [Test]
    public void Save_writes_the_text_and_to_string_hides_secrets()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json");
        var config = new CaConfig
        {
            Address = ":443",
            Password = "secret-pw",
            Kms = new KmsConfig { Type = "yubikey", Pin = "123456" },
            Authority = new AuthorityConfig { CertificateIssuer = new CertificateIssuerConfig { Type = "jwk", Password = "issuer-pw" } },
        };
        try
        {
            config.Save(path);
            File.ReadAllText(path).Should().Be(config.ToJson());
        }
        finally
        {
            File.Delete(path);
        }

        string.Join(" ", config, config.Kms, config.Authority).Should().NotContain("secret-pw").And.NotContain("123456").And.NotContain("issuer-pw");
    }
}
