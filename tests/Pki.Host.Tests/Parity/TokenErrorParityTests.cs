using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Parity;

/// <summary>
/// The step-ca 0.19 captures whose requests carry a token (expired now), replayed with fresh tokens
/// minted the same way: same status, Content-Type and body bytes.
/// </summary>
public class TokenErrorParityTests : ServedPkiTests
{
    [Test]
    public async Task Replayed_token_is_refused_like_step_ca()
    {
        // issued/sign-request.json's CSR, with a fresh token carrying the same SANs.
        var csr = Fixtures.Text("issued", "ec-p256.csr");
        var token = Pki.Provisioner.SignToken("ec.fixture.test", ["ec.fixture.test", "localhost", "127.0.0.1", "::1"]);
        (await (await Client.PostJsonAsync("/1.0/sign", new { csr, ott = token })).ShouldBeIssuedAsync()).Leaf.Subject.Should().Be("CN=ec.fixture.test");

        using var replay = await Client.PostJsonAsync("/1.0/sign", new { csr, ott = token });

        await FixtureResponse.Load("20-err-replayed-token").ShouldMatchAsync(replay);
    }

    [Test]
    public async Task Wrong_audience_is_refused_like_step_ca()
    {
        var csr = CsrOf("21-err-wrong-audience");
        var subject = SubjectOf("21-err-wrong-audience");
        var token = Pki.Provisioner.SignToken(subject, audience: "https://wrong.example:9444/1.0/sign");

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr, ott = token });

        await FixtureResponse.Load("21-err-wrong-audience").ShouldMatchAsync(response);
    }

    [Test]
    public async Task Csr_token_san_mismatch_is_forbidden_with_steps_exact_message()
    {
        // Token sub/sans = match.fixture.test; the CSR asks for DNS:other.fixture.test.
        var csr = CsrOf("23-err-csr-token-mismatch");
        var token = Pki.Provisioner.SignToken("match.fixture.test", ["match.fixture.test"]);

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr, ott = token });

        await FixtureResponse.Load("23-err-csr-token-mismatch").ShouldMatchAsync(response);
    }

    [Test]
    public async Task Unknown_kid_is_refused_like_step_ca()
    {
        var csr = CsrOf("24-err-unknown-kid");
        var subject = SubjectOf("24-err-unknown-kid");
        var token = Pki.Provisioner.Signer(keyId: "UnknownKid0000000000000000000000000000000000")
            .Sign(Pki.Provisioner.Descriptor(subject));

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr, ott = token });

        await FixtureResponse.Load("24-err-unknown-kid").ShouldMatchAsync(response);
    }

    private static string CsrOf(string capture)
    {
        using var json = JsonDocument.Parse(FixtureResponse.Load(capture).RequestBody!);
        return json.RootElement.GetProperty("csr").GetString()!;
    }

    // The captured token's sub (its signature and times no longer matter).
    private static string SubjectOf(string capture)
    {
        using var json = JsonDocument.Parse(FixtureResponse.Load(capture).RequestBody!);
        var payload = json.RootElement.GetProperty("ott").GetString()!.Split('.')[1];
        using var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(payload));
        return claims.RootElement.GetProperty("sub").GetString()!;
    }
}
