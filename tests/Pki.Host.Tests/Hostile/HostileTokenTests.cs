using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>
/// Forged and stale sign tokens: each is a 401 with step's generic body, the log names the real
/// reason, and nothing is stored — no certificate and no burned token.
/// </summary>
public class HostileTokenTests : ServedPkiTests
{
    private const string Subject = "hostile.host.test";
    private readonly ClientKey _key = new();

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    [Test]
    public Task Alg_none_is_refused() =>
        ShouldBeRefusedAsync(CompactJws.Compose(Header("none"), Claims(), _ => []), "algorithm 'none' is not allowed");

    [Test]
    public Task Hs256_keyed_with_the_public_jwk_is_refused()
    {
        // Algorithm confusion: an HMAC "signed" with the provisioner's public key as the secret.
        var secret = Encoding.UTF8.GetBytes(Pki.Provisioner.Key.ToPublic().ToJson());
        return ShouldBeRefusedAsync(CompactJws.Compose(Header("HS256"), Claims(), input => HMACSHA256.HashData(secret, input)), "algorithm 'HS256' is not allowed");
    }

    [Test]
    public Task Token_signed_by_another_key_with_the_right_kid_is_refused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ShouldBeRefusedAsync(CompactJws.Compose(Header("ES256"), Claims(), input => other.SignData(input, HashAlgorithmName.SHA256)), "signature is not valid");
    }

    [Test]
    public Task Expired_token_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        // Expired two minutes ago: beyond the one-minute leeway (tokens.md §1). iat stays now.
        return ShouldBeRefusedAsync(Pki.Provisioner.Signer().Sign(Pki.Provisioner.Descriptor(Subject) with
        {
            NotBefore = now.AddMinutes(-10),
            NotAfter = now.AddMinutes(-2),
        }), "expired");
    }

    [Test]
    public Task Token_issued_before_the_host_started_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        var signer = Pki.Provisioner.Signer(clock: new ShiftedClock(TimeSpan.FromHours(-1)));
        return ShouldBeRefusedAsync(signer.Sign(Pki.Provisioner.Descriptor(Subject) with { NotBefore = now, NotAfter = now.AddMinutes(5) }),
            "token issued before the bootstrap of certificate authority");
    }

    [Test]
    public async Task Concurrent_uses_of_one_token_issue_exactly_one_certificate()
    {
        var certificates = Pki.CountRows("x509_certs");
        var token = Pki.Provisioner.SignToken(Subject);
        var body = System.Text.Json.JsonSerializer.Serialize(new { csr = _key.CsrPem(Subject), ott = token });
        using var other = Pki.CreateClient();

        // Two connections, ten requests in flight at once: the used_ott insert-if-absent decides.
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? Client : other).PostRawAsync("/1.0/sign", body)));

        responses.Count(r => (int)r.StatusCode == 201).Should().Be(1);
        responses.Count(r => (int)r.StatusCode == 401).Should().Be(9);
        Pki.CountRows("x509_certs").Should().Be(certificates + 1);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private object Header(string alg) => new { alg, kid = Pki.Provisioner.KeyId, typ = "JWT" };

    private object Claims() => CompactJws.SignClaims(Pki.Provisioner, Subject, [Subject]);

    private async Task ShouldBeRefusedAsync(string token, string logReason)
    {
        var certificates = Pki.CountRows("x509_certs");
        var usedTokens = Pki.CountRows("used_ott");
        var mark = Pki.Log.Mark();

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr = _key.CsrPem(Subject), ott = token });

        await response.ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        (await Pki.Log.WaitForLineAsync(mark, l => l.Contains("/1.0/sign answered 401", StringComparison.Ordinal)))
            .Should().Contain(logReason, "the generic 401 must be for this reason");
        Pki.CountRows("x509_certs").Should().Be(certificates);
        Pki.CountRows("used_ott").Should().Be(usedTokens, "a token that does not verify must not be burned");
    }
}
