using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Jose;

public class SignedTokenTests
{
    private static readonly JsonWebKey FixtureKey = JsonWebKey.Parse(JoseFixtures.ProvisionerKey);

    [TestCaseSource(typeof(JoseFixtures), nameof(JoseFixtures.AcceptedTokens))]
    public void Tokens_step_ca_accepted_verify_with_the_provisioner_key(string token, string expectedClaimsJson)
    {
        var parsed = SignedToken.Parse(token);
        var claims = parsed.Verify(FixtureKey);

        parsed.Header.Algorithm.Should().Be("ES256");
        parsed.Header.KeyId.Should().Be(JoseFixtures.KeyId);
        parsed.Header.Type.Should().Be("JWT");
        using var expected = JsonDocument.Parse(expectedClaimsJson);
        var e = expected.RootElement;
        claims.Issuer.Should().Be("fixture-admin");
        claims.Subject.Should().Be(e.GetProperty("sub").GetString());
        claims.Id.Should().Be(e.GetProperty("jti").GetString()).And.MatchRegex("^[0-9a-f]{64}$");
        claims.Audience.Should().Equal(e.GetProperty("aud").GetString());
        claims.Expiry!.Value.ToUnixTimeSeconds().Should().Be(e.GetProperty("exp").GetInt64());
        claims.NotBefore.Should().Be(claims.IssuedAt);
        claims.Sha.Should().Be("d75281f45c11362c31c5d6e96c7b8802d9f68a8470a43876740f67925d080f3f");
        claims.RawJson.Should().Be(System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1])));
        if (e.TryGetProperty("sans", out var sans))
        {
            claims.Sans.Should().Equal(sans.EnumerateArray().Select(s => s.GetString()));
            claims.StepSsh.Should().BeNull();
        }
        else
        {
            claims.Sans.Should().BeNull();
            claims.StepSsh!.Value.GetProperty("certType").GetString().Should().BeOneOf("user", "host");
        }
        claims.ValidateTime(JoseFixtures.IssuedWindow);
        claims.Invoking(c => c.ValidateTime(new DateTimeOffset(2026, 11, 22, 14, 0, 0, TimeSpan.Zero)))
            .Should().Throw<PkiException>().WithMessage("*expired*");
    }

    [TestCaseSource(typeof(JoseFixtures), nameof(JoseFixtures.AcceptedTokens))]
    public void Tokens_step_ca_accepted_fail_with_another_key(string token, string _)
    {
        var other = JsonWebKey.Generate().ToPublic();

        var act = () => SignedToken.Parse(token).Verify(other);

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.Unauthorized).WithMessage("*signature is not valid*");
    }

    [Test]
    public void Unverified_claims_are_readable_before_verification()
    {
        var token = SignedToken.Parse((string)JoseFixtures.AcceptedTokens().First().Arguments[0]!);

        token.UnverifiedClaims.Issuer.Should().Be("fixture-admin");
        token.Header.X5c.Should().BeNull();
        token.Header.Raw.GetProperty("kid").GetString().Should().Be(JoseFixtures.KeyId);
    }

    [Test]
    public void Step_specific_headers_are_exposed()
    {
        var header = """{"alg":"ES256","x5c":["MIIB"],"x5cInsecure":["AA","BB"],"sshpop":"c3No","nebula":"bmVi"}""";
        var token = SignedToken.Parse(Hostile.Compact(header, """{"sub":"x"}""", "AA"));

        token.Header.X5c.Should().Equal("MIIB");
        token.Header.X5cInsecure.Should().Equal("AA", "BB");
        token.Header.Sshpop.Should().Be("c3No");
        token.Header.Nebula.Should().Be("bmVi");
    }

    [Test]
    public void Claims_model_reads_every_supported_form()
    {
        var payload = """
            {"aud":["a","b"],"exp":1795354666.9,"nbf":1.5e9,"iat":null,"sans":[],"cnf":{"x5rt#S256":"abc"},
             "step":{"ssh":{"certType":"user"},"ra":{"provisionerName":"p"}},"custom":{"k":1}}
            """;
        var claims = SignedToken.Parse(Hostile.Compact("""{"alg":"ES256"}""", payload, "AA")).UnverifiedClaims;

        claims.Audience.Should().Equal("a", "b");
        claims.Expiry!.Value.ToUnixTimeSeconds().Should().Be(1795354666, "go-jose truncates fractional seconds");
        claims.NotBefore!.Value.ToUnixTimeSeconds().Should().Be(1_500_000_000);
        claims.IssuedAt.Should().BeNull();
        claims.Sans.Should().BeEmpty();
        claims.ConfirmationFingerprint.Should().Be("abc");
        claims.StepSsh!.Value.GetProperty("certType").GetString().Should().Be("user");
        claims.StepRa!.Value.GetProperty("provisionerName").GetString().Should().Be("p");
        claims.Raw.GetProperty("custom").GetProperty("k").GetInt32().Should().Be(1);
        claims.Subject.Should().BeNull();
    }

    [Test]
    public void A_non_string_sha_is_ignored_like_step_ca_does()
    {
        var claims = SignedToken.Parse(Hostile.Compact("""{"alg":"ES256"}""", """{"sub":"x","sha":5}""", "AA")).UnverifiedClaims;

        claims.Sha.Should().BeNull();
        claims.Subject.Should().Be("x");
    }

    [Test]
    public void Verification_is_safe_under_concurrency()
    {
        var signer = new TokenSigner(JsonWebKey.Generate());
        var key = signer.Key.ToPublic();
        var tokens = Enumerable.Range(0, 64).Select(i => signer.Sign(Descriptor("n" + i))).ToArray();
        var forged = Hostile.FlipSignatureBit(tokens[0]);
        var failures = 0;

        Parallel.For(0, 4000, i =>
        {
            var ok = SignedToken.Parse(tokens[i % tokens.Length]).Verify(key).Subject == "n" + (i % tokens.Length);
            var rejected = false;
            try
            {
                SignedToken.Parse(forged).Verify(key);
            }
            catch (PkiException)
            {
                rejected = true;
            }
            if (!ok || !rejected)
            {
                Interlocked.Increment(ref failures);
            }
        });

        failures.Should().Be(0);
    }

    internal static TokenDescriptor Descriptor(string subject) => new()
    {
        Issuer = "fixture-admin",
        Subject = subject,
        Audience = ["https://127.0.0.1:9444/1.0/sign"],
        Sans = [subject],
    };
}
