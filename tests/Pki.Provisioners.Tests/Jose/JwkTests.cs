using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Jose;

public class JwkTests
{
    // RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
    private const string Rfc7638Key = """
        {"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}
        """;

    [Test]
    public void Fixture_key_thumbprint_is_its_kid()
    {
        var jwk = JsonWebKey.Parse(JoseFixtures.ProvisionerKey);

        jwk.Thumbprint().Should().Be(JoseFixtures.KeyId);
        jwk.KeyId.Should().Be(JoseFixtures.KeyId);
        (jwk.KeyType, jwk.Curve, jwk.Algorithm, jwk.Use, jwk.HasPrivateKey).Should().Be(("EC", "P-256", "ES256", "sig", false));
    }

    [Test]
    public void Rfc7638_example_thumbprint()
    {
        JsonWebKey.Parse(Rfc7638Key).Thumbprint().Should().Be("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    [Test]
    public void Public_ec_key_serializes_exactly_as_step_wrote_it_in_ca_json()
    {
        var original = JoseFixtures.ProvisionerKey;
        var compact = JsonSerializer.Serialize(original); // ca.json is indented; compare the compact form

        JsonWebKey.Parse(original).ToJson().Should().Be(compact);
    }

    [TestCase("ES256")]
    [TestCase("ES384")]
    [TestCase("ES512")]
    [TestCase("RS256")]
    [TestCase("PS384")]
    [TestCase("EdDSA")]
    public void Generated_keys_round_trip_through_json_and_have_step_metadata(string algorithm)
    {
        var jwk = JsonWebKey.Generate(algorithm);

        jwk.Use.Should().Be("sig");
        jwk.Algorithm.Should().Be(algorithm);
        jwk.KeyId.Should().Be(jwk.Thumbprint());
        var reparsed = JsonWebKey.Parse(jwk.ToJson());
        reparsed.ToJson().Should().Be(jwk.ToJson());
        reparsed.HasPrivateKey.Should().BeTrue();
        reparsed.ToPublic().HasPrivateKey.Should().BeFalse();
        reparsed.ToPublic().Thumbprint().Should().Be(jwk.Thumbprint());
        reparsed.ToPublic().ToJson().Should().NotContain("\"d\"");
    }

    [Test]
    public void Member_order_follows_go_jose_for_each_key_type()
    {
        static string[] Members(JsonWebKey jwk) =>
            JsonDocument.Parse(jwk.ToJson()).RootElement.EnumerateObject().Select(p => p.Name).ToArray();

        Members(JsonWebKey.Generate("ES256")).Should().Equal("use", "kty", "kid", "crv", "alg", "x", "y", "d");
        Members(JsonWebKey.Generate("RS256")).Should().Equal("use", "kty", "kid", "alg", "n", "e", "d", "p", "q", "dp", "dq", "qi");
        Members(JsonWebKey.Generate("EdDSA")).Should().Equal("use", "kty", "kid", "crv", "alg", "x", "d");
        Members(JsonWebKey.Generate("EdDSA").ToPublic()).Should().Equal("use", "kty", "kid", "crv", "alg", "x");
    }

    [Test]
    public void Rsa_private_key_without_crt_values_gets_them_computed()
    {
        var full = JsonWebKey.Generate("RS256");
        var json = JsonSerializer.Deserialize<Dictionary<string, string>>(full.ToJson())!;
        json.Remove("dp");
        json.Remove("dq");
        json.Remove("qi");

        var partial = JsonWebKey.Parse(JsonSerializer.Serialize(json));

        partial.ToJson().Should().Be(full.ToJson());
    }

    [Test]
    public void Platform_keys_are_usable_and_match()
    {
        var ec = JsonWebKey.Generate("ES384");
        using var ecdsa = ec.CreateEcdsa();
        byte[] data = [1, 2, 3];
        var signature = ecdsa.SignData(data, HashAlgorithmName.SHA384);
        using var ecPublic = ec.ToPublic().CreateEcdsa();
        ecPublic.VerifyData(data, signature, HashAlgorithmName.SHA384).Should().BeTrue();

        var rsa = JsonWebKey.Generate("PS256");
        using var platformRsa = rsa.CreateRsa();
        JsonWebKey.FromRsa(platformRsa).Thumbprint().Should().Be(rsa.Thumbprint());

        var ed = JsonWebKey.Generate("EdDSA");
        ed.GetEd25519PrivateKey().GeneratePublicKey().GetEncoded().Should().Equal(ed.GetEd25519PublicKey().GetEncoded());
        JsonWebKey.FromEd25519(ed.GetEd25519PublicKey().GetEncoded()).Thumbprint().Should().Be(ed.Thumbprint());

        ec.Invoking(k => k.CreateRsa()).Should().Throw<InvalidOperationException>();
    }

    [TestCase("root", "pki/certs/root_ca.crt", "EC")]
    [TestCase("rsa leaf", "issued/rsa-2048.crt", "RSA")]
    [TestCase("ed25519 leaf", "issued/ed25519.crt", "OKP")]
    public void Certificate_public_keys_convert(string _, string path, string keyType)
    {
        using var certificate = X509Certificate2.CreateFromPem(Fixtures.Text(path.Split('/')));

        var jwk = JsonWebKey.FromCertificate(certificate);

        jwk.KeyType.Should().Be(keyType);
        jwk.HasPrivateKey.Should().BeFalse();
        jwk.Algorithm.Should().BeNull();
    }

    [Test]
    public void Ed25519_certificate_key_matches_the_leaf_public_key_file()
    {
        using var certificate = X509Certificate2.CreateFromPem(Fixtures.Text("issued", "ed25519.crt"));
        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();

        // RFC 8410 §4: the SPKI of an Ed25519 key is a 12-byte prefix and the 32 raw bytes.
        JsonWebKey.FromCertificate(certificate).GetEd25519PublicKey().GetEncoded().Should().Equal(spki[^32..]);
    }

    [TestCase("""{"kty":"oct","k":"c2VjcmV0"}""", "unsupported key type 'oct'")]
    [TestCase("""{"kty":"EC","crv":"P-192","x":"AA","y":"AA"}""", "unsupported EC curve")]
    [TestCase("""{"kty":"EC","crv":"P-256","x":"yX5i9bv7wvD-SzoJNTKP-gWLPEXZpcxqRQ5XHnzz0lk"}""", "'y' is missing")]
    [TestCase("""{"kty":"EC","crv":"P-256","x":"AQ","y":"AQ"}""", "must be 32 bytes")]
    [TestCase("""{"kty":"OKP","crv":"X25519","x":"AQ"}""", "unsupported OKP curve")]
    [TestCase("""{"kty":"RSA","n":"AQAB","e":"AQAB"}""", "RSA modulus must be 2048 to 16384 bits")]
    [TestCase("""{"kty":1}""", "must be strings")]
    [TestCase("""{"crv":"P-256"}""", "'kty' is missing")]
    [TestCase("""[1,2]""", "not a JSON object")]
    [TestCase("""{"kty":"EC","kty":"RSA"}""", "not a JSON object")]
    [TestCase("""{"kty":"EC",}""", "not a JSON object")]
    [TestCase("""{"kty":"EC","crv":"P-256","x":"yX5i9bv7wvD-SzoJNTKP-gWLPEXZpcxqRQ5XHnzz0l=","y":"oxMi92dCbAsjAbb8kYbvL0wm9ngWetHlzpBH7SIM-ao"}""", "not valid base64url")]
    [TestCase("""{"kty":"EC","crv":"P-256","x":"yX5i9bv7wvD-SzoJNTKP-gWLPEXZpcxqRQ5XHnzz0lk","y":"oxMi92dCbAsjAbb8kYbvL0wm9ngWetHlzpBH7SIM-ap"}""", "not valid base64url")]
    public void Malformed_keys_are_rejected_with_bad_request(string json, string reason)
    {
        var act = () => JsonWebKey.Parse(json);

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest).WithMessage($"*{reason}*");
    }

    [Test]
    public void A_point_off_the_curve_is_rejected()
    {
        var json = JoseFixtures.ProvisionerKey.GetRawText().Replace("oxMi92dCbAsjAbb8kYbvL0wm9ngWetHlzpBH7SIM-ao", "oxMi92dCbAsjAbb8kYbvL0wm9ngWetHlzpBH7SIN-ao");

        var act = () => JsonWebKey.Parse(json);

        act.Should().Throw<PkiException>().WithMessage("*not valid for curve P-256*");
    }

    [TestCase("ES256")]
    [TestCase("EdDSA")]
    [TestCase("RS256")]
    public void A_private_part_that_does_not_match_the_public_part_is_rejected(string algorithm)
    {
        var a = JsonSerializer.Deserialize<Dictionary<string, string>>(JsonWebKey.Generate(algorithm).ToJson())!;
        var b = JsonSerializer.Deserialize<Dictionary<string, string>>(JsonWebKey.Generate(algorithm).ToJson())!;
        a["d"] = b["d"];

        var act = () => JsonWebKey.Parse(JsonSerializer.Serialize(a));

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest);
    }

    [TestCase("ES384", "P-256")]
    [TestCase("RS256", "P-256")]
    [TestCase("HS256", "P-256")]
    [TestCase("none", "P-256")]
    public void An_alg_incompatible_with_the_key_is_rejected(string alg, string _)
    {
        var json = JoseFixtures.ProvisionerKey.GetRawText().Replace("\"ES256\"", $"\"{alg}\"");

        var act = () => JsonWebKey.Parse(json);

        act.Should().Throw<PkiException>().WithMessage($"*alg '{alg}' is not compatible with kty 'EC' and crv 'P-256'*");
    }

    [Test]
    public void Oversized_json_is_rejected_before_parsing()
    {
        var json = "{\"kty\":\"EC\",\"pad\":\"" + new string('a', JsonWebKey.MaxJsonBytes) + "\"}";

        var act = () => JsonWebKey.Parse(json);

        act.Should().Throw<PkiException>().WithMessage("*too large*");
    }

    [Test]
    public void Same_public_key_ignores_metadata_and_private_part()
    {
        var key = JsonWebKey.Generate("ES256");

        key.HasSamePublicKey(key.ToPublic().WithMetadata(null, "other", null)).Should().BeTrue();
        key.HasSamePublicKey(JsonWebKey.Generate("ES256")).Should().BeFalse();
    }
}
