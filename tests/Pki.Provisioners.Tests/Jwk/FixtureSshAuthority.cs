using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioners.Jwk;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;

namespace Smallstep.Pki.Tests.Jwk;

/// <summary>
/// The real SSH authority and JWK provisioner over the step-ca fixture PKI (its SSH user and host
/// CA keys), in-memory storage and a manual clock; the provisioner entry can be edited.
/// </summary>
internal sealed class FixtureSshAuthority : IDisposable
{
    private readonly SoftKeyManager _keys;

    public FixtureSshAuthority(Action<JsonObject>? editProvisioner = null, Policy.INamePolicyEngine? namePolicy = null)
    {
        Clock = new ManualClock(FixtureAuthority.FixtureStart);
        _keys = new SoftKeyManager(new SoftKmsOptions { PasswordProvider = _ => "fixture-test-password" });
        var user = _keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "ssh_user_ca_key")).AsTask().GetAwaiter().GetResult();
        var host = _keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "ssh_host_ca_key")).AsTask().GetAwaiter().GetResult();
        var ca = JsonNode.Parse(Fixtures.Text("pki", "config", "ca.json"))!;
        var entry = ca["authority"]!["provisioners"]![0]!.AsObject();
        editProvisioner?.Invoke(entry);
        ProvisionerKey = EncryptedKey.Decrypt(entry["encryptedKey"]!.GetValue<string>(), "fixture-test-password");
        var config = ProvisionerConfig.FromJson(JsonDocument.Parse(entry.ToJsonString()).RootElement.Clone());
        Catalog = Pending.StepCatalog.Build([config], Clock);
        Store = new MemoryKeyValueStore(StepTables.Authority);
        Authority = new SshAuthority(
            new SshAuthorityOptions
            {
                UserSigner = user, HostSigner = host, Audiences = new Audiences(["localhost", "127.0.0.1"]), NamePolicy = namePolicy,
                X509Roots = [X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "root_ca.crt"))],
                Roots = new SshKeySet([SshPublicKey.FromSubjectPublicKeyInfo(user.SubjectPublicKeyInfo.Span)], [SshPublicKey.FromSubjectPublicKeyInfo(host.SubjectPublicKeyInfo.Span)]),
            },
            Catalog, new KeyValueSshCertificateStore(Store), Clock, NullLogger<SshAuthority>.Instance);
    }

    public ManualClock Clock { get; }

    public ProvisionerCatalog Catalog { get; }

    public MemoryKeyValueStore Store { get; }

    public SshAuthority Authority { get; }

    public JsonWebKey ProvisionerKey { get; }

    /// <summary>A JWK SSH token from the fixture provisioner, minted now, with <c>step.ssh</c> = <paramref name="ssh"/>.</summary>
    public string Token(string subject, string ssh) => new TokenSigner(ProvisionerKey, timeProvider: Clock).Sign(new TokenDescriptor
    {
        Issuer = "fixture-admin",
        Subject = subject,
        Audience = ["https://127.0.0.1/1.0/ssh/sign"],
        Step = JsonDocument.Parse($$"""{"ssh": {{ssh}}}""").RootElement.Clone(),
    });

    public void Dispose()
    {
        _keys.Dispose();
        Store.Dispose();
    }
}
