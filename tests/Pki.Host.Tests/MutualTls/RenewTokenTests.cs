using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.MutualTls;

/// <summary>
/// Renewal without mTLS: <c>Authorization: Bearer</c> with step's renew token (tokens.md §6:
/// <c>x5cInsecure</c> header, claims signed with the certificate key), the path step uses for
/// expired certificates, which cannot pass the TLS handshake.
/// </summary>
public class RenewTokenTests : ServedPkiTests
{
    [Test]
    public async Task Bearer_renew_token_renews_once()
    {
        using var key = new ClientKey();
        var (original, certificate) = await Pki.IssueAsync(Client, key, "bearer.host.test");
        using var _ = certificate;
        var token = RenewToken(certificate, key.Key);

        using var response = await SendRenewAsync(Client, token);

        var renewed = await response.ShouldBeIssuedAsync();
        renewed.SerialDecimal.Should().NotBe(original.SerialDecimal);
        using var leaf = renewed.Leaf;
        leaf.Subject.Should().Be("CN=bearer.host.test");
        await (await SendRenewAsync(Client, token)).ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
    }

    [Test]
    public async Task Bearer_renew_token_signed_by_another_key_is_refused()
    {
        using var key = new ClientKey();
        var (_, certificate) = await Pki.IssueAsync(Client, key, "bearer-forged.host.test");
        using var _ = certificate;
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rowsBefore = Pki.CountRows("x509_certs");

        using var response = await SendRenewAsync(Client, RenewToken(certificate, other));

        await response.ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        Pki.CountRows("x509_certs").Should().Be(rowsBefore);
    }

    [Test]
    public async Task An_expired_client_certificate_fails_the_tls_handshake()
    {
        using var key = new ClientKey();
        using var expired = await IssueExpiredAsync(Pki, Client, key);
        using var mtls = Pki.CreateClient(expired);

        var call = () => mtls.GetAsync("/health");

        await call.Should().ThrowAsync<HttpRequestException>();
    }

    [Test]
    public async Task An_expired_certificate_is_not_renewed_by_token_unless_the_provisioner_allows_it()
    {
        using var key = new ClientKey();
        using var expired = await IssueExpiredAsync(Pki, Client, key);

        var mark = Pki.Log.Mark();
        using var refused = await SendRenewAsync(Client, RenewToken(expired, key.Key));

        await refused.ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        (await Pki.Log.WaitForLineAsync(mark, l => l.Contains("/1.0/renew answered 401", StringComparison.Ordinal)))
            .Should().Contain("expired", "the refusal is the provisioner's renewal policy, not the token");

        await using var allowing = await ServedPki.StartFixtureCopyAsync(config =>
            config["authority"]!["provisioners"]![0]!["claims"]!["allowRenewalAfterExpiry"] = true);
        using var client = allowing.CreateClient();
        using var allowedKey = new ClientKey();
        using var allowedExpired = await IssueExpiredAsync(allowing, client, allowedKey);

        using var renewed = await SendRenewAsync(client, RenewToken(allowedExpired, allowedKey.Key));

        using var leaf = (await renewed.ShouldBeIssuedAsync()).Leaf;
        (leaf.NotAfter - leaf.NotBefore).Should().Be(allowedExpired.NotAfter - allowedExpired.NotBefore, "a renewal keeps the old lifetime");
        leaf.NotAfter.Should().BeAfter(DateTime.Now, "and starts now");
    }

    // A real leaf from the CA, then the same certificate re-made with the intermediate key so that it
    // expired a minute ago. It must lie within the intermediate's validity: chains are checked at the
    // leaf's last minute (jose/parse.go ValidateX5CInsecure), and the fixture PKI may be only hours old.
    private static async Task<X509Certificate2> IssueExpiredAsync(ServedPki pki, HttpClient client, ClientKey key)
    {
        var (_, template) = await pki.IssueAsync(client, key, "expired.host.test");
        using var _ = template;
        var now = DateTimeOffset.UtcNow;
        var notBefore = new DateTimeOffset(pki.Intermediate.NotBefore.ToUniversalTime()).AddSeconds(1);
        notBefore = notBefore > now.AddDays(-1) ? notBefore : now.AddDays(-1);
        var notAfter = now.AddMinutes(-1);
        if (notAfter <= notBefore.AddMinutes(2))
        {
            Assert.Ignore($"the intermediate ({pki.Intermediate.NotBefore:O}) is too new to hold an expired leaf");
        }
        return IntermediateKey.Sign(pki, key.Key, template, notBefore, notAfter);
    }

    private static Task<HttpResponseMessage> SendRenewAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/1.0/renew");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    // step's renew token (tokens.md §6): x5cInsecure = the certificate, sub = its CN, renew audience, iss step-ca-client/1.0.
    private static string RenewToken(X509Certificate2 certificate, ECDsa signingKey)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject
        {
            ["alg"] = "ES256",
            ["typ"] = "JWT",
            ["x5cInsecure"] = new JsonArray(Convert.ToBase64String(certificate.RawData)),
        };
        var claims = new
        {
            aud = "https://127.0.0.1/1.0/renew",
            exp = now + 300,
            iat = now,
            iss = "step-ca-client/1.0",
            jti = TokenSigner.NewTokenId(),
            nbf = now,
            sub = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false),
        };
        return CompactJws.Compose(header, claims, input => signingKey.SignData(input, HashAlgorithmName.SHA256));
    }
}
