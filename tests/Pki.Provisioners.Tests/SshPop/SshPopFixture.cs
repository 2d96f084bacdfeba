using System.Buffers.Text;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Tests.Jwk;

namespace Smallstep.Pki.Tests.SshPop;

/// <summary>
/// The real SSH authority over the step-ca fixture PKI (its SSH user and host CA keys) with the
/// fixture's JWK provisioner (issues the certificates) and SSHPOP provisioner <c>sshpop</c>,
/// in-memory storage (certificates, revocations, used tokens) and a manual clock.
/// </summary>
internal sealed class SshPopFixture : IDisposable
{
    public const string Host = "https://127.0.0.1";
    private readonly SoftKeyManager _keys;

    /// <param name="swapCaKeys">Sign host certificates with the user CA key and the reverse (a CA key of the wrong type).</param>
    /// <param name="editSshPop">Changes the SSHPOP entry (claims).</param>
    public SshPopFixture(bool swapCaKeys = false, Action<JsonObject>? editSshPop = null)
    {
        Clock = new ManualClock(FixtureAuthority.FixtureStart);
        _keys = new SoftKeyManager(new SoftKmsOptions { PasswordProvider = _ => "fixture-test-password" });
        var user = _keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "ssh_user_ca_key")).AsTask().GetAwaiter().GetResult();
        var host = _keys.GetSignerAsync(Fixtures.Path("pki", "secrets", "ssh_host_ca_key")).AsTask().GetAwaiter().GetResult();
        var ca = JsonNode.Parse(Fixtures.Text("pki", "config", "ca.json"))!;
        var provisioners = ca["authority"]!["provisioners"]!.AsArray();
        var jwk = provisioners[0]!.AsObject();
        var sshpop = provisioners[2]!.AsObject();
        sshpop["type"]!.GetValue<string>().Should().Be("SSHPOP");
        editSshPop?.Invoke(sshpop);
        ProvisionerKey = EncryptedKey.Decrypt(jwk["encryptedKey"]!.GetValue<string>(), "fixture-test-password");
        var entries = new[] { jwk, sshpop }.Select(e => ProvisionerConfig.FromJson(JsonDocument.Parse(e.ToJsonString()).RootElement.Clone())).ToArray();
        Catalog = Pending.StepCatalog.Build(entries, Clock);
        Store = new MemoryKeyValueStore(StepTables.Authority);
        Authority = new SshAuthority(
            new SshAuthorityOptions
            {
                UserSigner = swapCaKeys ? host : user,
                HostSigner = swapCaKeys ? user : host,
                Audiences = new Audiences(["localhost", "127.0.0.1"]),
                X509Roots = [X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "root_ca.crt"))],
                Roots = new SshKeySet([SshPublicKey.FromSubjectPublicKeyInfo(user.SubjectPublicKeyInfo.Span)], [SshPublicKey.FromSubjectPublicKeyInfo(host.SubjectPublicKeyInfo.Span)]),
            },
            Catalog, new KeyValueSshCertificateStore(Store), Clock, NullLogger<SshAuthority>.Instance)
        {
            Revocations = new KeyValueSshRevocationStore(Store),
        };
    }

    public ManualClock Clock { get; }

    public ProvisionerCatalog Catalog { get; }

    public MemoryKeyValueStore Store { get; }

    public SshAuthority Authority { get; }

    public JsonWebKey ProvisionerKey { get; }

    /// <summary>A certificate for <paramref name="key"/> signed through <c>/ssh/sign</c> with a JWK token.</summary>
    public async Task<SshCertificate> IssueAsync(SshPopKey key, string certType = "host", string principal = "web.step.test")
    {
        var token = new TokenSigner(ProvisionerKey, timeProvider: Clock).Sign(new TokenDescriptor
        {
            Issuer = "fixture-admin",
            Subject = principal,
            Audience = [Host + "/1.0/ssh/sign"],
            Step = JsonSerializer.SerializeToElement(new { ssh = new { certType, keyID = principal, principals = new[] { principal } } }),
        });
        var result = await Authority.SignAsync(new SshSignRequest(key.PublicKey, token, new SshSignOptions { CertType = certType }));
        return result.Certificate;
    }

    /// <summary>A JWK token for the SSH revoke audience with subject <paramref name="subject"/>.</summary>
    public string JwkRevokeToken(string subject) => new TokenSigner(ProvisionerKey, timeProvider: Clock).Sign(new TokenDescriptor
    {
        Issuer = "fixture-admin",
        Subject = subject,
        Audience = [Host + "/1.0/ssh/revoke"],
    });

    /// <summary>
    /// An SSHPOP token as the step CLI makes it: header <c>{"alg","typ","sshpop"}</c>, claims
    /// <c>aud</c> (the operation's URL with <c>#sshpop/sshpop</c>), <c>exp</c>, <c>iat</c>, <c>iss</c>,
    /// <c>jti</c>, <c>nbf</c>, <c>sub</c>, signed by <paramref name="signer"/>.
    /// </summary>
    public string PopToken(SshCertificate certificate, SshPopKey signer, string operation, string? subject = null,
        Func<Dictionary<string, object?>, Dictionary<string, object?>>? editClaims = null, string? algorithm = null, Func<byte[], byte[]>? sign = null)
    {
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?>
        {
            ["aud"] = $"{Host}/1.0/ssh/{operation}#sshpop/sshpop",
            ["exp"] = now + 300,
            ["iat"] = now,
            ["iss"] = "sshpop",
            ["jti"] = TokenSigner.NewTokenId(),
            ["nbf"] = now,
            ["sub"] = subject ?? certificate.Description.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        claims = editClaims?.Invoke(claims) ?? claims;
        var header = new Dictionary<string, object?> { ["alg"] = algorithm ?? signer.Algorithm, ["typ"] = "JWT", ["sshpop"] = Convert.ToBase64String(certificate.Blob.Span) };
        var input = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = (sign ?? signer.Sign)(Encoding.ASCII.GetBytes(input));
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose()
    {
        _keys.Dispose();
        Store.Dispose();
    }
}
