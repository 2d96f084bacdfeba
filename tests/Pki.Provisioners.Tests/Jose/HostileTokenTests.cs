using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Jose;

/// <summary>Builders for hand-made tokens.</summary>
internal static class Hostile
{
    public static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static string Compact(string header, string payload, string signature) => $"{B64(header)}.{B64(payload)}.{signature}";

    public static string FlipSignatureBit(string token)
    {
        var dot = token.LastIndexOf('.');
        var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        signature[^1] ^= 1;
        return token[..(dot + 1)] + Base64Url.EncodeToString(signature);
    }

    /// <summary>An HMAC token keyed with <paramref name="secret"/>: the classic RS/ES-to-HS confusion.</summary>
    public static string Hmac(string alg, string payload, byte[] secret)
    {
        var input = $"{B64($$"""{"alg":"{{alg}}","kid":"{{JoseFixtures.KeyId}}","typ":"JWT"}""")}.{B64(payload)}";
        var mac = alg switch
        {
            "HS256" => HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)),
            "HS384" => HMACSHA384.HashData(secret, Encoding.ASCII.GetBytes(input)),
            _ => HMACSHA512.HashData(secret, Encoding.ASCII.GetBytes(input)),
        };
        return input + "." + Base64Url.EncodeToString(mac);
    }
}

public class HostileTokenTests
{
    private const string Payload = """{"iss":"fixture-admin","sub":"evil","aud":"https://127.0.0.1:9444/1.0/sign","jti":"1"}""";

    private static readonly JsonWebKey FixtureKey = JsonWebKey.Parse(JoseFixtures.ProvisionerKey);

    [TestCase("none")]
    [TestCase("None")]
    [TestCase("NONE")]
    public void Alg_none_is_never_accepted(string alg)
    {
        var token = Hostile.Compact($$"""{"alg":"{{alg}}","kid":"{{JoseFixtures.KeyId}}"}""", Payload, "");

        ShouldBeRejected(token, FixtureKey);
    }

    [TestCase("HS256")]
    [TestCase("HS384")]
    [TestCase("HS512")]
    public void Hmac_signed_with_the_public_key_bytes_is_rejected(string alg)
    {
        // Every public representation an attacker could guess the verifier uses as an HMAC secret.
        using var ecdsa = FixtureKey.CreateEcdsa();
        byte[][] secrets =
        [
            Encoding.UTF8.GetBytes(JoseFixtures.ProvisionerKey.GetRawText()),
            Encoding.UTF8.GetBytes(FixtureKey.ToJson()),
            ecdsa.ExportSubjectPublicKeyInfo(),
            Encoding.UTF8.GetBytes(ecdsa.ExportSubjectPublicKeyInfoPem()),
        ];
        foreach (var secret in secrets)
        {
            ShouldBeRejected(Hostile.Hmac(alg, Payload, secret), FixtureKey);
        }
    }

    [Test]
    public void Algorithm_must_match_the_key_type_and_curve()
    {
        var p256 = JsonWebKey.Generate("ES256");
        var rsa = JsonWebKey.Generate("RS256");
        var ed = JsonWebKey.Generate("EdDSA");
        var p256Token = new TokenSigner(p256).Sign(SignedTokenTests.Descriptor("x"));

        // A valid ES256 token presented to keys of other types, and relabelled with other algorithms.
        ShouldBeRejected(p256Token, rsa.ToPublic(), "not allowed");
        ShouldBeRejected(p256Token, ed.ToPublic(), "not allowed");
        foreach (var alg in new[] { "ES384", "ES512", "RS256", "PS256", "EdDSA" })
        {
            ShouldBeRejected(Relabel(p256Token, alg), p256.ToPublic(), "not allowed");
        }
    }

    [Test]
    public void Algorithm_must_equal_the_jwk_alg_when_it_has_one()
    {
        var unrestricted = JsonWebKey.Generate("RS256").WithMetadata("sig", null, null);
        var ps256Only = unrestricted.WithMetadata("sig", null, "PS256");
        var rs256Token = new TokenSigner(unrestricted).Sign(SignedTokenTests.Descriptor("x"));

        SignedToken.Parse(rs256Token).Verify(unrestricted.ToPublic()).Subject.Should().Be("x");
        ShouldBeRejected(rs256Token, ps256Only.ToPublic(), "not allowed");
    }

    [Test]
    public void Truncated_or_altered_signatures_fail()
    {
        var signer = new TokenSigner(JsonWebKey.Generate("ES256"));
        var token = signer.Sign(SignedTokenTests.Descriptor("x"));
        var key = signer.Key.ToPublic();

        ShouldBeRejected(token[..^4], key);
        ShouldBeRejected(token[..(token.LastIndexOf('.') + 1)], key);
        ShouldBeRejected(Hostile.FlipSignatureBit(token), key);
        // Claims changed after signing.
        var parts = token.Split('.');
        ShouldBeRejected($"{parts[0]}.{Hostile.B64(Payload)}.{parts[2]}", key);
    }

    [Test]
    public void Ed25519_and_rsa_signatures_are_checked_too()
    {
        foreach (var alg in new[] { "EdDSA", "PS256", "RS512" })
        {
            var signer = new TokenSigner(JsonWebKey.Generate(alg));
            var token = signer.Sign(SignedTokenTests.Descriptor("x"));
            SignedToken.Parse(token).Verify(signer.Key.ToPublic()).Subject.Should().Be("x");
            ShouldBeRejected(Hostile.FlipSignatureBit(token), signer.Key.ToPublic());
            ShouldBeRejected(token, JsonWebKey.Generate(alg).ToPublic());
        }
    }

    [TestCase("eyJhbGciOiJFUzI1NiJ9.e30")]
    [TestCase("eyJhbGciOiJFUzI1NiJ9.e30.AA.AA")]
    [TestCase("eyJhbGciOiJFUzI1NiJ9.e30.AA.AA.AA")]
    [TestCase("eyJhbGciOiJFUzI1NiJ9=.e30.AA")]
    [TestCase("eyJhbGciOiJFUzI1NiJ9.e30=.AA")]
    [TestCase("eyJhbGciOiJFUzI1NiJ9.e3+0.AA")]
    [TestCase("eyJhbGciOiJFUzI1NiJ9 .e30.AA")]
    [TestCase("eyJhbGciOiJFUzI1NiJ9.e30.A")]
    [TestCase(".e30.AA")]
    [TestCase("")]
    [TestCase("not a token")]
    public void Malformed_serializations_are_unauthorized(string token)
    {
        var act = () => SignedToken.Parse(token);

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.Unauthorized);
    }

    [TestCase("""[1]""", """{}""")]
    [TestCase("""{"alg":"ES256"}""", """[]""")]
    [TestCase("""{"alg":"ES256"}""", "\"str\"")]
    [TestCase("""{"alg":"ES256"}""", """{"sub":"a","sub":"b"}""")]
    [TestCase("""{"alg":"ES256","alg":"none"}""", """{}""")]
    [TestCase("""{"alg":"ES256"}""", """{"aud":5}""")]
    [TestCase("""{"alg":"ES256"}""", """{"aud":["a",5]}""")]
    [TestCase("""{"alg":"ES256"}""", """{"exp":"1795354666"}""")]
    [TestCase("""{"alg":"ES256"}""", """{"exp":1e400}""")]
    [TestCase("""{"alg":"ES256"}""", """{"nbf":1e300}""")]
    [TestCase("""{"alg":"ES256"}""", """{"sub":1}""")]
    [TestCase("""{"alg":"ES256"}""", """{"sans":"a"}""")]
    [TestCase("""{"alg":"ES256"}""", """{"step":"ssh"}""")]
    [TestCase("""{"alg":"ES256"}""", """{"cnf":{"x5rt#S256":1}}""")]
    [TestCase("""{"alg":"ES256"}""", """{"sub":"x" trailing}""")]
    [TestCase("""{}""", """{}""")]
    [TestCase("""{"alg":5}""", """{}""")]
    [TestCase("""{"alg":"ES256","x5c":"notarray"}""", """{}""")]
    [TestCase("""{"alg":"ES256","crit":["exp"],"exp":1}""", """{}""")]
    public void Malformed_header_or_claims_are_unauthorized(string header, string payload)
    {
        var act = () => SignedToken.Parse(Hostile.Compact(header, payload, "AA"));

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.Unauthorized);
    }

    [Test]
    public void Deeply_nested_claims_are_refused()
    {
        var payload = "{\"a\":" + new string('[', 100) + new string(']', 100) + "}";

        var act = () => SignedToken.Parse(Hostile.Compact("""{"alg":"ES256"}""", payload, "AA"));

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.Unauthorized);
    }

    [Test]
    public void A_three_megabyte_token_is_refused_before_decoding()
    {
        var huge = Hostile.Compact("""{"alg":"ES256"}""", "{\"pad\":\"" + new string('a', 3 * 1024 * 1024) + "\"}", "AA");

        var act = () => SignedToken.Parse(huge);

        act.Should().Throw<PkiException>().WithMessage("*too large*");
    }

    [Test]
    public void A_token_just_under_the_limit_parses()
    {
        var prefix = Hostile.B64("""{"alg":"ES256"}""") + ".";
        var padding = (SignedToken.MaxTokenLength - prefix.Length - 3 - Hostile.B64("{\"pad\":\"\"}").Length) * 3 / 4;
        var token = Hostile.Compact("""{"alg":"ES256"}""", "{\"pad\":\"" + new string('a', padding) + "\"}", "AA");

        token.Length.Should().BeLessThanOrEqualTo(SignedToken.MaxTokenLength);
        SignedToken.Parse(token).UnverifiedClaims.Raw.GetProperty("pad").GetString().Should().HaveLength(padding);
    }

    [Test]
    public void Wrong_kid_is_the_callers_business_but_the_wrong_key_always_fails()
    {
        var signer = new TokenSigner(JsonWebKey.Generate(), keyId: JoseFixtures.KeyId);
        var token = SignedToken.Parse(signer.Sign(SignedTokenTests.Descriptor("x")));

        token.Header.KeyId.Should().Be(JoseFixtures.KeyId, "the header claims the fixture provisioner's kid");
        token.Invoking(t => t.Verify(FixtureKey)).Should().Throw<PkiException>().WithMessage("*signature is not valid*");
    }

    private static string Relabel(string token, string alg)
    {
        var parts = token.Split('.');
        var header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])).Replace("\"ES256\"", $"\"{alg}\"");
        return $"{Hostile.B64(header)}.{parts[1]}.{parts[2]}";
    }

    private static void ShouldBeRejected(string token, JsonWebKey key, string reason = "")
    {
        var act = () => SignedToken.Parse(token).Verify(key);

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.Unauthorized).WithMessage($"*{reason}*");
    }
}
