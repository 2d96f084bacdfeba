using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Provisioners.Jwk;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;

namespace Smallstep.Pki.Tests.Jwk;

/// <summary>
/// The real authority and JWK provisioner over the step-ca fixture PKI, with in-memory storage and
/// a manual clock starting just before the fixture tokens were minted (13:32 UTC on 2026-11-22).
/// </summary>
internal sealed class FixtureAuthority : IDisposable
{
    public static readonly DateTimeOffset FixtureStart = new(2026, 11, 22, 13, 31, 30, TimeSpan.Zero);

    private readonly SoftKeyManager _keys;

    public FixtureAuthority(Policy.INamePolicyEngine? namePolicy = null, Policy.CaNameConstraints? nameConstraints = null)
    {
        Clock = new ManualClock(FixtureStart);
        _keys = new SoftKeyManager(new SoftKmsOptions { PasswordProvider = _ => "fixture-test-password" });
        var signer = _keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "intermediate_ca_key")).AsTask().GetAwaiter().GetResult();
        var intermediate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "intermediate_ca.crt"));
        var root = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "root_ca.crt"));
        using var doc = JsonDocument.Parse(Fixtures.Text("pki", "config", "ca.json"));
        var entries = doc.RootElement.GetProperty("authority").GetProperty("provisioners").EnumerateArray().Select(e => ProvisionerConfig.FromJson(e.Clone())).ToArray();
        Catalog = Pending.StepCatalog.Build(entries, Clock);
        Store = new MemoryKeyValueStore(StepTables.Authority);
        Authority = new CertificateAuthority(
            new CertificateAuthorityOptions
            {
                Issuer = new X509Issuer([intermediate], signer), Roots = [root], Audiences = new Audiences(["localhost", "127.0.0.1"]),
                NamePolicy = namePolicy, NameConstraints = nameConstraints,
            },
            Catalog, new KeyValueCertificateStore(Store), new KeyValueRevocationStore(Store), new KeyValueTokenReplayStore(Store), Clock, NullLogger<CertificateAuthority>.Instance);
    }

    public ManualClock Clock { get; }

    public ProvisionerCatalog Catalog { get; }

    public MemoryKeyValueStore Store { get; }

    public CertificateAuthority Authority { get; }

    public async Task<int> StoredCertificatesAsync()
    {
        var count = 0;
        await foreach (var _ in Store.ListAsync(StepTables.X509Certs))
        {
            count++;
        }
        return count;
    }

    public void Dispose()
    {
        _keys.Dispose();
        Store.Dispose();
    }
}
