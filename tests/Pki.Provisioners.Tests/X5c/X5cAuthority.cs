using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Tests.Jwk;

namespace Smallstep.Pki.Tests.X5c;

/// <summary>
/// The real X.509 and SSH authorities (issuing with the step-ca fixture intermediate and SSH keys)
/// with one X5C provisioner <c>x5c-test</c> trusting an outside <see cref="X5cTestPki"/>, in-memory
/// storage and a manual clock. The entry can be edited before the catalog is built.
/// </summary>
internal sealed class X5cAuthority : IDisposable
{
    private readonly SoftKeyManager _keys;

    public X5cAuthority(Action<JsonObject>? editEntry = null)
    {
        // Years from the wall clock, so every validity check is proven to use the injected clock.
        Clock = new ManualClock(new DateTimeOffset(2031, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Pki = new X5cTestPki(Clock.Now);
        _keys = new SoftKeyManager(new SoftKmsOptions { PasswordProvider = _ => "fixture-test-password" });
        var signer = _keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "intermediate_ca_key")).AsTask().GetAwaiter().GetResult();
        var user = _keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "ssh_user_ca_key")).AsTask().GetAwaiter().GetResult();
        var host = _keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "ssh_host_ca_key")).AsTask().GetAwaiter().GetResult();
        var intermediate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "intermediate_ca.crt"));
        var root = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "root_ca.crt"));
        var entry = new JsonObject
        {
            ["type"] = "X5C",
            ["name"] = X5cTokens.Provisioner,
            ["roots"] = Pki.RootsBase64(),
            ["claims"] = new JsonObject { ["enableSSHCA"] = true },
        };
        editEntry?.Invoke(entry);
        Catalog = Pending.StepCatalog.Build([ProvisionerConfig.FromJson(JsonDocument.Parse(entry.ToJsonString()).RootElement.Clone())], Clock);
        Store = new MemoryKeyValueStore(StepTables.Authority);
        Revocations = new KeyValueRevocationStore(Store);
        var audiences = new Audiences(["localhost", "127.0.0.1"]);
        Authority = new CertificateAuthority(
            new CertificateAuthorityOptions { Issuer = new X509Issuer([intermediate], signer), Roots = [root], Audiences = audiences },
            Catalog, new KeyValueCertificateStore(Store), Revocations, new KeyValueTokenReplayStore(Store), Clock, NullLogger<CertificateAuthority>.Instance);
        Ssh = new SshAuthority(
            new SshAuthorityOptions
            {
                UserSigner = user, HostSigner = host, Audiences = audiences, X509Roots = [root], X509Revocations = Revocations,
                Roots = new SshKeySet([SshPublicKey.FromSubjectPublicKeyInfo(user.SubjectPublicKeyInfo.Span)], [SshPublicKey.FromSubjectPublicKeyInfo(host.SubjectPublicKeyInfo.Span)]),
            },
            Catalog, new KeyValueSshCertificateStore(Store), Clock, NullLogger<SshAuthority>.Instance);
    }

    public ManualClock Clock { get; }

    public X5cTestPki Pki { get; }

    public ProvisionerCatalog Catalog { get; }

    public MemoryKeyValueStore Store { get; }

    public IRevocationStore Revocations { get; }

    public CertificateAuthority Authority { get; }

    public SshAuthority Ssh { get; }

    /// <summary>A CSR for <paramref name="commonName"/> with DNS SANs <paramref name="dnsNames"/>.</summary>
    public static CertificationRequest Csr(string commonName, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        if (dnsNames.Length > 0)
        {
            var sans = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                sans.AddDnsName(name);
            }
            request.CertificateExtensions.Add(sans.Build());
        }
        return CertificationRequest.Parse(request.CreateSigningRequest());
    }

    public void Dispose()
    {
        Pki.Dispose();
        _keys.Dispose();
        Store.Dispose();
    }
}
