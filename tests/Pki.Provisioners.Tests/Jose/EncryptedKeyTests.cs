using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Jose;

public class EncryptedKeyTests
{
    [Test]
    public void Fixture_encrypted_key_decrypts_to_the_private_half_of_the_provisioner_key()
    {
        var privateKey = EncryptedKey.Decrypt(JoseFixtures.EncryptedKey, JoseFixtures.Password);
        var publicKey = JsonWebKey.Parse(JoseFixtures.ProvisionerKey);

        privateKey.HasPrivateKey.Should().BeTrue();
        privateKey.ToPublic().ToJson().Should().Be(publicKey.ToJson());
        privateKey.Thumbprint().Should().Be(JoseFixtures.KeyId);
    }

    [Test]
    public void Fixture_plaintext_reserializes_byte_for_byte()
    {
        JwcryptoPeer.RequireAvailable();
        var plaintext = JwcryptoPeer.Run("""
            import sys
            from jwcrypto import jwe, jwk
            e = jwe.JWE()
            e.deserialize(sys.argv[1], key=jwk.JWK.from_password(sys.argv[2]))
            sys.stdout.write(e.payload.decode())
            """, JoseFixtures.EncryptedKey, JoseFixtures.Password);

        EncryptedKey.Decrypt(JoseFixtures.EncryptedKey, JoseFixtures.Password).ToJson().Should().Be(plaintext);
    }

    [Test]
    public void Wrong_password_is_unauthorized()
    {
        var act = () => EncryptedKey.Decrypt(JoseFixtures.EncryptedKey, "not-the-password");

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.Unauthorized).WithMessage("*invalid password*");
    }

    [TestCase("ES256")]
    [TestCase("EdDSA")]
    [TestCase("RS256")]
    public void Encrypt_then_decrypt_round_trips(string algorithm)
    {
        var key = JsonWebKey.Generate(algorithm);

        var jwe = EncryptedKey.Encrypt(key, "s3cret", EncryptedKey.MinEncryptIterations);

        EncryptedKey.Decrypt(jwe, "s3cret").ToJson().Should().Be(key.ToJson());
    }

    [Test]
    public void Encrypt_writes_steps_header_layout()
    {
        var jwe = EncryptedKey.Encrypt(JsonWebKey.Generate(), "s3cret");

        var parts = jwe.Split('.');
        parts.Should().HaveCount(5);
        var header = Encoding.UTF8.GetString(Decode(parts[0]));
        header.Should().MatchRegex("""^\{"alg":"PBES2-HS256\+A128KW","cty":"jwk\+json","enc":"A256GCM","p2c":600000,"p2s":"[A-Za-z0-9_-]{22}"\}$""");
        (Decode(parts[1]).Length, Decode(parts[2]).Length, Decode(parts[4]).Length).Should().Be((40, 12, 16));
    }

    [Test]
    public void Encrypted_keys_interoperate_with_jwcrypto()
    {
        JwcryptoPeer.RequireAvailable();
        var key = JsonWebKey.Generate();
        var ours = EncryptedKey.Encrypt(key, "interop-pass");

        var decryptedByPeer = JwcryptoPeer.Run("""
            import sys
            from jwcrypto import jwe, jwk
            e = jwe.JWE()
            e.deserialize(sys.argv[1], key=jwk.JWK.from_password(sys.argv[2]))
            sys.stdout.write(e.payload.decode())
            """, ours, "interop-pass");
        decryptedByPeer.Should().Be(key.ToJson());

        var theirs = JwcryptoPeer.Run("""
            import sys, json
            from jwcrypto import jwe, jwk
            header = {"alg": "PBES2-HS256+A128KW", "enc": "A256GCM", "cty": "jwk+json"}
            e = jwe.JWE(sys.argv[1].encode(), json.dumps(header))
            e.add_recipient(jwk.JWK.from_password(sys.argv[2]))
            sys.stdout.write(e.serialize(compact=True))
            """, key.ToJson(), "interop-pass");
        EncryptedKey.Decrypt(theirs, "interop-pass").ToJson().Should().Be(key.ToJson());
    }

    [TestCase(1_000_001)]
    [TestCase(int.MaxValue)]
    [TestCase(0)]
    [TestCase(-5)]
    public void Hostile_iteration_counts_are_refused_before_any_key_derivation(int p2c)
    {
        var jwe = WithHeader(JoseFixtures.EncryptedKey, h => h.Replace("\"p2c\":100000", $"\"p2c\":{p2c}"));
        var clock = Stopwatch.StartNew();

        var act = () => EncryptedKey.Decrypt(jwe, JoseFixtures.Password);

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest).WithMessage("*p2c*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [TestCase("\"p2c\":100000", "\"p2c\":100000.5")]
    [TestCase("\"p2c\":100000", "\"p2c\":\"100000\"")]
    [TestCase("PBES2-HS256+A128KW", "dir")]
    [TestCase("A256GCM", "A256CBC-HS512")]
    [TestCase("\"p2s\":\"d8NoCqC3lwAQ8GOKfVLbpA\"", "\"p2s\":\"\"")]
    [TestCase("\"cty\"", "\"zip\":\"DEF\",\"cty\"")]
    public void Unsupported_or_malformed_headers_are_bad_requests(string from, string to)
    {
        var jwe = WithHeader(JoseFixtures.EncryptedKey, h => h.Replace(from, to));

        var act = () => EncryptedKey.Decrypt(jwe, JoseFixtures.Password);

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest);
    }

    [TestCase("a.b.c.d")]
    [TestCase("a.b.c.d.e.f")]
    [TestCase("")]
    public void Malformed_serializations_are_bad_requests(string jwe)
    {
        var act = () => EncryptedKey.Decrypt(jwe, "x");

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest);
    }

    [Test]
    public void Tampered_ciphertext_fails_authentication()
    {
        var parts = JoseFixtures.EncryptedKey.Split('.');
        var ciphertext = Decode(parts[3]);
        ciphertext[0] ^= 1;
        parts[3] = Convert.ToBase64String(ciphertext).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var act = () => EncryptedKey.Decrypt(string.Join('.', parts), JoseFixtures.Password);

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.Unauthorized);
    }

    [Test]
    public void Public_keys_are_not_encrypted()
    {
        var act = () => EncryptedKey.Encrypt(JsonWebKey.Generate().ToPublic(), "x");

        act.Should().Throw<ArgumentException>();
    }

    private static string WithHeader(string jwe, Func<string, string> edit)
    {
        var parts = jwe.Split('.');
        var header = edit(Encoding.UTF8.GetString(Decode(parts[0])));
        parts[0] = Convert.ToBase64String(Encoding.UTF8.GetBytes(header)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return string.Join('.', parts);
    }

    private static byte[] Decode(string part) => System.Buffers.Text.Base64Url.DecodeFromChars(part);
}
