using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Jose;

/// <summary>Tokens cross-checked against Debian's python3-jwcrypto (an independent JOSE implementation).</summary>
public class JwcryptoInteropTests
{
    private const string VerifyScript = """
        import sys, json
        from jwcrypto import jwk, jws
        key = jwk.JWK.from_json(sys.argv[2])
        token = jws.JWS()
        token.deserialize(sys.argv[1])
        token.verify(key, alg=sys.argv[3])
        sys.stdout.write(json.loads(token.payload)["sub"])
        """;

    private const string SignScript = """
        import sys, json
        from jwcrypto import jwk, jws
        key = jwk.JWK.generate(**json.loads(sys.argv[1]))
        token = jws.JWS(json.dumps({"sub": "from-jwcrypto", "iss": "p", "aud": "https://ca/1.0/sign"}))
        token.add_signature(key, alg=sys.argv[2], protected=json.dumps({"alg": sys.argv[2], "typ": "JWT"}))
        print(token.serialize(compact=True))
        print(key.export_public())
        """;

    [TestCase("ES256")]
    [TestCase("ES384")]
    [TestCase("ES512")]
    [TestCase("RS256")]
    [TestCase("PS512")]
    [TestCase("EdDSA")]
    public void Tokens_we_mint_verify_with_jwcrypto(string algorithm)
    {
        JwcryptoPeer.RequireAvailable();
        var signer = new TokenSigner(JsonWebKey.Generate(algorithm));
        var token = signer.Sign(SignedTokenTests.Descriptor("from-us"));

        JwcryptoPeer.Run(VerifyScript, token, signer.Key.ToPublic().ToJson(), algorithm).Should().Be("from-us");
    }

    [TestCase("ES256", """{"kty":"EC","crv":"P-256"}""")]
    [TestCase("ES512", """{"kty":"EC","crv":"P-521"}""")]
    [TestCase("PS256", """{"kty":"RSA","size":2048}""")]
    [TestCase("EdDSA", """{"kty":"OKP","crv":"Ed25519"}""")]
    public void Tokens_jwcrypto_mints_verify_with_ours(string algorithm, string keySpec)
    {
        JwcryptoPeer.RequireAvailable();
        var lines = JwcryptoPeer.Run(SignScript, keySpec, algorithm).Split('\n');
        var key = JsonWebKey.Parse(lines[1]);

        var claims = SignedToken.Parse(lines[0]).Verify(key);

        claims.Subject.Should().Be("from-jwcrypto");
        claims.Audience.Should().Equal("https://ca/1.0/sign");
        SignedToken.Parse(Hostile.FlipSignatureBit(lines[0])).Invoking(t => t.Verify(key)).Should().Throw<Errors.PkiException>();
    }

    [Test]
    public void Thumbprints_agree_with_jwcrypto()
    {
        JwcryptoPeer.RequireAvailable();
        foreach (var algorithm in new[] { "ES384", "RS256", "EdDSA" })
        {
            var key = JsonWebKey.Generate(algorithm).ToPublic();
            var theirs = JwcryptoPeer.Run("""
                import sys
                from jwcrypto import jwk
                print(jwk.JWK.from_json(sys.argv[1]).thumbprint())
                """, key.ToJson());
            key.Thumbprint().Should().Be(theirs, algorithm);
        }
    }
}
