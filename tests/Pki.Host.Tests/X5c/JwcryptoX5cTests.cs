using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.X5c;

/// <summary>
/// X5C tokens from an independent JOSE implementation (Debian's python3-jwcrypto) with chains from
/// the real <c>openssl</c>, against the host: accepted when they chain to the provisioner's openssl
/// root; refused with step-ca's 401 body for an expired leaf, another root, a broken chain, a leaf
/// without digitalSignature, a CA leaf, <c>alg</c> confusion and a chain that is too long.
/// </summary>
public sealed class JwcryptoX5cTests : ServedPkiTests
{
    private const string Name = "x5c-openssl";
    private const string Python = "/usr/bin/python3";
    private const string Audience = "https://127.0.0.1/1.0/sign#x5c/" + Name;

    // argv: header JSON (x5c included), claims JSON, private key PEM or "" for an oct key from argv[4].
    private const string Script = """
        import sys
        from jwcrypto import jwk, jws
        header, claims, pem = sys.argv[1], sys.argv[2], sys.argv[3]
        key = jwk.JWK.from_pem(pem.encode()) if pem else jwk.JWK(kty="oct", k=sys.argv[4])
        token = jws.JWS(claims.encode())
        token.add_signature(key, None, header)
        print(token.serialize(compact=True))
        """;

    private readonly TemporaryDirectory _directory = new();
    private OpenSslX5cPki _openssl = null!;

    private protected override Task<ServedPki> StartPkiAsync()
    {
        JwcryptoTokens.RequireAvailable();
        _openssl = new OpenSslX5cPki(Path.Combine(_directory.Path, "good"), "OpenSSL X5C");
        var roots = Convert.ToBase64String(Encoding.ASCII.GetBytes(File.ReadAllText(_openssl.Root)));
        return ServedPki.StartFixtureCopyAsync(config => config["authority"]!["provisioners"]!.AsArray()
            .Add(new System.Text.Json.Nodes.JsonObject { ["type"] = "X5C", ["name"] = Name, ["roots"] = roots }));
    }

    [OneTimeTearDown]
    public void DeleteOpenSslFiles() => _directory.Dispose();

    private static string[] Chain(params string[] files) => files.Select(f =>
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(f);
        return Convert.ToBase64String(certificate.RawData);
    }).ToArray();

    private static string Token(string[] x5c, string keyPem, string subject, string alg = "ES256", string? octKey = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.Serialize(new { alg, typ = "JWT", x5c });
        var claims = JsonSerializer.Serialize(new
        {
            aud = Audience, exp = now + 300, iat = now, iss = Name, jti = Guid.NewGuid().ToString("N"), nbf = now, sub = subject, sans = new[] { subject },
        });
        return ExternalTool.RunChecked(Python, "-c", Script, header, claims, keyPem, octKey ?? "").Trim();
    }

    private async Task<HttpResponseMessage> SignAsync(string token, string subject)
    {
        using var key = new ClientKey();
        return await Client.PostJsonAsync("/1.0/sign", new { csr = key.CsrPem(subject, subject), ott = token });
    }

    [Test]
    public async Task A_jwcrypto_token_with_an_openssl_chain_is_issued_a_certificate()
    {
        var (crt, key) = _openssl.Leaf("good.openssl.test", OpenSslX5cPki.ClientExtensions("good.openssl.test"));

        using var response = await SignAsync(Token(Chain(crt, _openssl.Intermediate), File.ReadAllText(key), "app.openssl.test"), "app.openssl.test");

        using var leaf = (await response.ShouldBeIssuedAsync()).Leaf;
        ProvisionerExtension.Read(leaf)!.Value.Name.Should().Be(Name);
        using var credential = X509CertificateLoader.LoadCertificateFromFile(crt);
        leaf.NotAfter.Should().BeOnOrBefore(credential.NotAfter);
    }

    [TestCase("expired")]
    [TestCase("other root")]
    [TestCase("broken chain")]
    [TestCase("no digitalSignature")]
    [TestCase("ca leaf")]
    [TestCase("alg HS256 keyed with the public key")]
    [TestCase("alg none")]
    [TestCase("too long")]
    public async Task A_bad_token_is_refused_with_step_cas_401(string @case)
    {
        var good = _openssl.Leaf("c-" + @case.Replace(' ', '-') + ".openssl.test", OpenSslX5cPki.ClientExtensions("case.openssl.test"));
        var goodKey = File.ReadAllText(good.Key);
        string token;
        switch (@case)
        {
            case "expired":
                var expired = _openssl.Leaf("expired.openssl.test", OpenSslX5cPki.ClientExtensions("expired.openssl.test"), DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(-1));
                token = Token(Chain(expired.Crt, _openssl.Intermediate), File.ReadAllText(expired.Key), "app.openssl.test");
                break;
            case "other root":
                var other = new OpenSslX5cPki(Path.Combine(_directory.Path, "other"), "Other");
                var stranger = other.Leaf("stranger.openssl.test", OpenSslX5cPki.ClientExtensions("stranger.openssl.test"));
                token = Token(Chain(stranger.Crt, other.Intermediate), File.ReadAllText(stranger.Key), "app.openssl.test");
                break;
            case "broken chain":
                token = Token(Chain(good.Crt), goodKey, "app.openssl.test");
                break;
            case "no digitalSignature":
                var noSign = _openssl.Leaf("nosign.openssl.test", "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyEncipherment\nextendedKeyUsage=clientAuth");
                token = Token(Chain(noSign.Crt, _openssl.Intermediate), File.ReadAllText(noSign.Key), "app.openssl.test");
                break;
            case "ca leaf":
                var ca = _openssl.Leaf("ca.openssl.test", "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,digitalSignature,keyCertSign\nextendedKeyUsage=clientAuth");
                token = Token(Chain(ca.Crt, _openssl.Intermediate), File.ReadAllText(ca.Key), "app.openssl.test");
                break;
            case "alg HS256 keyed with the public key":
                using (var certificate = X509CertificateLoader.LoadCertificateFromFile(good.Crt))
                {
                    var k = Convert.ToBase64String(certificate.PublicKey.ExportSubjectPublicKeyInfo()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                    token = Token(Chain(good.Crt, _openssl.Intermediate), "", "app.openssl.test", "HS256", k);
                }
                break;
            case "alg none":
                var signed = Token(Chain(good.Crt, _openssl.Intermediate), goodKey, "app.openssl.test").Split('.');
                var none = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { alg = "none", typ = "JWT", x5c = Chain(good.Crt, _openssl.Intermediate) }))
                    .TrimEnd('=').Replace('+', '-').Replace('/', '_');
                token = none + "." + signed[1] + ".";
                break;
            default:
                token = Token([.. Chain(good.Crt), .. Enumerable.Repeat(Chain(_openssl.Intermediate)[0], 9)], goodKey, "app.openssl.test");
                break;
        }

        using var response = await SignAsync(token, "app.openssl.test");

        await response.ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
    }
}
