using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Jose;

/// <summary>go-jose v3.0.5 jwt/validation.go <c>ValidateWithLeeway</c> with step-ca's one-minute leeway.</summary>
public class TokenTimeValidationTests
{
    private const long T = 1_795_354_366;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(T);

    [TestCase("nbf", T + 60, true)]
    [TestCase("nbf", T + 61, false)]
    [TestCase("exp", T - 60, true)]
    [TestCase("exp", T - 61, false)]
    [TestCase("iat", T + 60, true)]
    [TestCase("iat", T + 61, false)]
    public void Each_time_claim_gets_exactly_one_minute_of_leeway(string claim, long value, bool valid)
    {
        // exp is required (stricter than step-ca); a far one keeps nbf and iat the only question.
        var claims = Claims(claim == "exp" ? $$"""{"exp":{{value}}}""" : $$"""{"{{claim}}":{{value}},"exp":{{T + 3600}}}""");

        var act = () => claims.ValidateTime(Now);

        if (valid)
        {
            act.Should().NotThrow();
        }
        else
        {
            act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.Unauthorized).WithMessage($"*({claim})*");
        }
    }

    [Test]
    public void Sub_second_precision_of_now_counts_against_truncated_claims()
    {
        // nbf 60.9 s ahead is read as 60 s ahead (truncation), so it is valid at now; 1 ms earlier it is not.
        var claims = Claims($$"""{"nbf":{{T + 60}}.9,"exp":{{T + 3600}}}""");

        claims.Invoking(c => c.ValidateTime(Now)).Should().NotThrow();
        claims.Invoking(c => c.ValidateTime(Now.AddMilliseconds(-1))).Should().Throw<PkiException>().WithMessage("*(nbf)*");
    }

    [Test]
    public void Exp_is_required_nbf_and_iat_are_optional()
    {
        // Stricter than step-ca 0.19, which accepts a token without exp (it never expires).
        Claims("""{"sub":"x"}""").Invoking(c => c.ValidateTime(Now)).Should().Throw<PkiException>()
            .Where(e => e.Kind == PkiErrorKind.Unauthorized).WithMessage("*no expiry (exp)*");
        Claims($$"""{"sub":"x","exp":{{T + 300}}}""").Invoking(c => c.ValidateTime(Now)).Should().NotThrow();
    }

    [Test]
    public void Zero_leeway_is_strict()
    {
        var claims = Claims($$"""{"exp":{{T}}}""");

        claims.Invoking(c => c.ValidateTime(Now, TimeSpan.Zero)).Should().NotThrow();
        claims.Invoking(c => c.ValidateTime(Now.AddSeconds(1), TimeSpan.Zero)).Should().Throw<PkiException>().WithMessage("*expired*");
    }

    private static TokenClaims Claims(string json) =>
        SignedToken.Parse(Hostile.Compact("""{"alg":"ES256"}""", json, "AA")).UnverifiedClaims;
}
