using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Jose;

public class TokenSignerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1795354366);

    [Test]
    public void Tokens_have_the_step_cli_layout()
    {
        var key = EncryptedKey.Decrypt(JoseFixtures.EncryptedKey, JoseFixtures.Password);
        var signer = new TokenSigner(key, timeProvider: new FixedTimeProvider(Now));

        var token = signer.Sign(new TokenDescriptor
        {
            Issuer = "fixture-admin",
            Subject = "ec.fixture.test",
            Audience = ["https://127.0.0.1:9444/1.0/sign"],
            Sans = ["ec.fixture.test", "localhost", "127.0.0.1", "::1"],
            Sha = "d75281f45c11362c31c5d6e96c7b8802d9f68a8470a43876740f67925d080f3f",
            TokenId = "6d887bb6d08e324fc3a64585f23c8dd632b461c0ae92be73bb59dae53b7f8c49",
        });

        // Same header and claims bytes as the fixture token step-ca accepted (only the ECDSA signature differs).
        var fixture = (string)JoseFixtures.AcceptedTokens().First().Arguments[0]!;
        token.Split('.')[0].Should().Be(fixture.Split('.')[0]);
        token.Split('.')[1].Should().Be(fixture.Split('.')[1]);
        Decode(token.Split('.')[0]).Should().Be($$"""{"alg":"ES256","kid":"{{JoseFixtures.KeyId}}","typ":"JWT"}""");
        SignedToken.Parse(token).Verify(JsonWebKey.Parse(JoseFixtures.ProvisionerKey)).Subject.Should().Be("ec.fixture.test");
    }

    [Test]
    public void Ssh_tokens_carry_step_ssh_instead_of_sans()
    {
        var signer = new TokenSigner(JsonWebKey.Generate(), timeProvider: new FixedTimeProvider(Now));
        using var step = JsonDocument.Parse("""{"ssh":{"certType":"user","keyID":"alice","principals":["alice"],"validAfter":"","validBefore":""}}""");

        var token = signer.Sign(new TokenDescriptor
        {
            Issuer = "p",
            Subject = "alice",
            Audience = ["https://ca/1.0/ssh/sign"],
            Step = step.RootElement,
        });

        var names = JsonDocument.Parse(Decode(token.Split('.')[1])).RootElement.EnumerateObject().Select(p => p.Name);
        names.Should().Equal("aud", "exp", "iat", "iss", "jti", "nbf", "step", "sub");
        SignedToken.Parse(token).UnverifiedClaims.StepSsh!.Value.GetProperty("keyID").GetString().Should().Be("alice");
    }

    [Test]
    public void Defaults_are_five_minutes_from_now_and_a_random_256_bit_jti()
    {
        var clock = new FixedTimeProvider(Now);
        var signer = new TokenSigner(JsonWebKey.Generate("EdDSA"), timeProvider: clock);

        var first = SignedToken.Parse(signer.Sign(SignedTokenTests.Descriptor("a"))).UnverifiedClaims;
        var second = SignedToken.Parse(signer.Sign(SignedTokenTests.Descriptor("a"))).UnverifiedClaims;

        (first.IssuedAt, first.NotBefore, first.Expiry).Should().Be((Now, Now, Now.AddMinutes(5)));
        first.Id.Should().MatchRegex("^[0-9a-f]{64}$");
        second.Id.Should().NotBe(first.Id);
    }

    [Test]
    public void Several_audiences_are_an_array_and_extra_claims_are_sorted_in()
    {
        var signer = new TokenSigner(JsonWebKey.Generate(), keyId: "custom-kid", timeProvider: new FixedTimeProvider(Now));
        using var extra = JsonDocument.Parse("""{"email":"a@b.c"}""");

        var token = signer.Sign(SignedTokenTests.Descriptor("a") with
        {
            Audience = ["x", "y"],
            NotBefore = Now.AddMinutes(1),
            NotAfter = Now.AddMinutes(2),
            ConfirmationFingerprint = "fp",
            ExtraClaims = new Dictionary<string, JsonElement> { ["email"] = extra.RootElement.GetProperty("email") },
        });

        var parsed = SignedToken.Parse(token);
        parsed.Header.KeyId.Should().Be("custom-kid");
        Decode(token.Split('.')[1]).Should().StartWith("""{"aud":["x","y"],"cnf":{"x5rt#S256":"fp"},"email":"a@b.c","exp":""");
        (parsed.UnverifiedClaims.NotBefore, parsed.UnverifiedClaims.Expiry).Should().Be((Now.AddMinutes(1), Now.AddMinutes(2)));
    }

    [Test]
    public void Inconsistent_descriptors_and_public_keys_are_refused()
    {
        var signer = new TokenSigner(JsonWebKey.Generate());
        using var extra = JsonDocument.Parse("""{"sub":"x"}""");

        signer.Invoking(s => s.Sign(SignedTokenTests.Descriptor("a") with { Lifetime = TimeSpan.Zero })).Should().Throw<ArgumentException>();
        signer.Invoking(s => s.Sign(SignedTokenTests.Descriptor("a") with
        {
            ExtraClaims = new Dictionary<string, JsonElement> { ["sub"] = extra.RootElement.GetProperty("sub") },
        })).Should().Throw<ArgumentException>().WithMessage("*sub*");
        var publicOnly = () => new TokenSigner(JsonWebKey.Generate().ToPublic());
        publicOnly.Should().Throw<ArgumentException>();
    }

    private static string Decode(string part) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(part));
}
