using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>
/// Stricter than step-ca 0.19 (docs/security.md): a token must expire (<c>exp</c> is required), and a
/// token that names a root (<c>sha</c>, the hex SHA-256 the step CLI writes) must name one of this
/// CA's roots. Both hold for every token-authorized operation: sign, revoke, SSH sign and the
/// renew token. A refused token is 401 with step's generic body, logged, and burns nothing.
/// </summary>
public class TokenBindingTests : ServedPkiTests
{
    private const string Subject = "binding.host.test";

    // The SHA-256 of a root this CA does not have (another CA's bootstrap fingerprint).
    private static readonly string OtherRootSha = Convert.ToHexStringLower(SHA256.HashData("another CA's root"u8));

    private readonly ClientKey _key = new();

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    [Test]
    public async Task A_sign_token_without_exp_is_refused()
    {
        var token = Compose(ClaimsWithout("exp", ProvisionerKey.SignAudience, Subject, [Subject]));

        await ShouldBeRefusedAsync("/1.0/sign", new { csr = _key.CsrPem(Subject), ott = token }, "exp");
    }

    [Test]
    public async Task A_revoke_token_without_exp_is_refused()
    {
        var (issued, certificate) = await Pki.IssueAsync(Client, new ClientKey(), "revoke-noexp.host.test");
        certificate.Dispose();
        var token = Compose(ClaimsWithout("exp", ProvisionerKey.RevokeAudience, issued.SerialDecimal, null));

        await ShouldBeRefusedAsync("/1.0/revoke", new { serial = issued.SerialDecimal, ott = token, passive = true }, "exp");
        Pki.CountRows("revoked_x509_certs").Should().Be(0);
    }

    [Test]
    public async Task An_ssh_sign_token_without_exp_is_refused()
    {
        var claims = ClaimsWithout("exp", "https://127.0.0.1/1.0/ssh/sign", "alice@host.test", null);
        claims["step"] = new JsonObject { ["ssh"] = new JsonObject { ["certType"] = "user", ["keyID"] = "alice", ["principals"] = new JsonArray("alice") } };

        await ShouldBeRefusedAsync("/1.0/ssh/sign", new { publicKey = SshPublicKey(), ott = Compose(claims), certType = "user" }, "exp");
    }

    [Test]
    public async Task A_renew_token_without_exp_is_refused()
    {
        using var key = new ClientKey();
        var (_, certificate) = await Pki.IssueAsync(Client, key, "renew-noexp.host.test");
        using var _ = certificate;

        await ShouldRenewRefusedAsync(RenewToken(certificate, key.Key, withExp: false, sha: null), "exp");
    }

    [Test]
    public async Task A_sign_token_naming_this_root_is_accepted()
    {
        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr = _key.CsrPem(Subject), ott = Pki.Provisioner.SignToken(Subject) });

        await response.ShouldBeIssuedAsync();
    }

    [Test]
    public async Task A_sign_token_naming_this_root_in_upper_case_is_accepted()
    {
        var token = Pki.Provisioner.Signer().Sign(Pki.Provisioner.Descriptor(Subject) with { Sha = Pki.Provisioner.RootSha.ToUpperInvariant() });

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr = _key.CsrPem(Subject), ott = token });

        await response.ShouldBeIssuedAsync();
    }

    [Test]
    public async Task A_sign_token_bound_to_another_ca_is_refused()
    {
        var token = Pki.Provisioner.Signer().Sign(Pki.Provisioner.Descriptor(Subject) with { Sha = OtherRootSha });

        await ShouldBeRefusedAsync("/1.0/sign", new { csr = _key.CsrPem(Subject), ott = token }, "sha");
    }

    [Test]
    public async Task A_sign_token_whose_sha_is_not_a_string_is_refused()
    {
        var claims = ClaimsWithout("sha", ProvisionerKey.SignAudience, Subject, [Subject]);
        claims["sha"] = 42;

        await ShouldBeRefusedAsync("/1.0/sign", new { csr = _key.CsrPem(Subject), ott = Compose(claims) }, "sha");
    }

    [Test]
    public async Task A_sign_token_naming_the_intermediate_is_refused()
    {
        var token = Pki.Provisioner.Signer().Sign(Pki.Provisioner.Descriptor(Subject) with { Sha = Convert.ToHexStringLower(SHA256.HashData(Pki.Intermediate.RawData)) });

        await ShouldBeRefusedAsync("/1.0/sign", new { csr = _key.CsrPem(Subject), ott = token }, "sha");
    }

    [Test]
    public async Task A_revoke_token_bound_to_another_ca_is_refused()
    {
        var (issued, certificate) = await Pki.IssueAsync(Client, new ClientKey(), "revoke-othersha.host.test");
        certificate.Dispose();
        var token = Pki.Provisioner.Signer().Sign(Pki.Provisioner.Descriptor(issued.SerialDecimal, ProvisionerKey.RevokeAudience) with { Sans = null, Sha = OtherRootSha });

        await ShouldBeRefusedAsync("/1.0/revoke", new { serial = issued.SerialDecimal, ott = token, passive = true }, "sha");
        Pki.CountRows("revoked_x509_certs").Should().Be(0);
    }

    [Test]
    public async Task An_ssh_sign_token_bound_to_another_ca_is_refused()
    {
        var token = Pki.Provisioner.Signer().Sign(Pki.Provisioner.Descriptor("alice@host.test", "https://127.0.0.1/1.0/ssh/sign") with
        {
            Sans = null,
            Sha = OtherRootSha,
            Step = System.Text.Json.JsonSerializer.SerializeToElement(new { ssh = new { certType = "user", keyID = "alice", principals = new[] { "alice" } } }),
        });

        await ShouldBeRefusedAsync("/1.0/ssh/sign", new { publicKey = SshPublicKey(), ott = token, certType = "user" }, "sha");
    }

    [Test]
    public async Task A_renew_token_bound_to_another_ca_is_refused()
    {
        using var key = new ClientKey();
        var (_, certificate) = await Pki.IssueAsync(Client, key, "renew-othersha.host.test");
        using var _ = certificate;

        await ShouldRenewRefusedAsync(RenewToken(certificate, key.Key, withExp: true, sha: OtherRootSha), "sha");
    }

    [Test]
    public async Task A_renew_token_naming_this_root_renews()
    {
        using var key = new ClientKey();
        var (_, certificate) = await Pki.IssueAsync(Client, key, "renew-sha.host.test");
        using var _ = certificate;

        using var response = await SendRenewAsync(RenewToken(certificate, key.Key, withExp: true, sha: Pki.Provisioner.RootSha));

        await response.ShouldBeIssuedAsync();
    }

    private JsonObject ClaimsWithout(string member, string audience, string subject, string[]? sans)
    {
        var claims = Pki.Provisioner.Claims(audience, subject, sans);
        claims.Remove(member);
        return claims;
    }

    private string Compose(JsonObject claims) =>
        CompactJws.Compose(new { alg = "ES256", kid = Pki.Provisioner.KeyId, typ = "JWT" }, claims, input =>
        {
            using var key = Pki.Provisioner.Key.CreateEcdsa();
            return key.SignData(input, HashAlgorithmName.SHA256);
        });

    private static string SshPublicKey()
    {
        // An ssh-ed25519 public key blob (any 32 bytes are a key for the wire format).
        var blob = new List<byte>();
        void Write(byte[] field)
        {
            blob.AddRange(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(field.Length)));
            blob.AddRange(field);
        }
        Write("ssh-ed25519"u8.ToArray());
        Write(RandomNumberGenerator.GetBytes(32));
        return Convert.ToBase64String([.. blob]);
    }

    private async Task ShouldBeRefusedAsync(string path, object body, string logReason)
    {
        var certificates = Pki.CountRows("x509_certs");
        var usedTokens = Pki.CountRows("used_ott");
        var mark = Pki.Log.Mark();

        using var response = await Client.PostJsonAsync(path, body);

        await response.ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        (await Pki.Log.WaitForLineAsync(mark, l => l.Contains($"{path} answered 401", StringComparison.Ordinal)))
            .Should().Contain(logReason, "the generic 401 must be for this reason");
        Pki.CountRows("x509_certs").Should().Be(certificates);
        Pki.CountRows("used_ott").Should().Be(usedTokens, "a refused token must not be burned");
    }

    private async Task ShouldRenewRefusedAsync(string token, string logReason)
    {
        var certificates = Pki.CountRows("x509_certs");
        var usedTokens = Pki.CountRows("used_ott");
        var mark = Pki.Log.Mark();

        using var response = await SendRenewAsync(token);

        await response.ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        (await Pki.Log.WaitForLineAsync(mark, l => l.Contains("/1.0/renew answered 401", StringComparison.Ordinal)))
            .Should().Contain(logReason);
        Pki.CountRows("x509_certs").Should().Be(certificates);
        Pki.CountRows("used_ott").Should().Be(usedTokens);
    }

    private Task<HttpResponseMessage> SendRenewAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/1.0/renew");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return Client.SendAsync(request);
    }

    internal static string RenewToken(X509Certificate2 certificate, ECDsa signingKey, bool withExp, string? sha)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject
        {
            ["alg"] = "ES256",
            ["typ"] = "JWT",
            ["x5cInsecure"] = new JsonArray(Convert.ToBase64String(certificate.RawData)),
        };
        var claims = new JsonObject
        {
            ["aud"] = "https://127.0.0.1/1.0/renew",
            ["iat"] = now,
            ["iss"] = "step-ca-client/1.0",
            ["jti"] = TokenSigner.NewTokenId(),
            ["nbf"] = now,
            ["sub"] = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false),
        };
        if (withExp)
        {
            claims["exp"] = now + 300;
        }
        if (sha is not null)
        {
            claims["sha"] = sha;
        }
        return CompactJws.Compose(header, claims, input => signingKey.SignData(input, HashAlgorithmName.SHA256));
    }
}
