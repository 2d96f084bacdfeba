using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>The hostile inputs of <see cref="HostileInputSuite"/>, by area. Each is a distinct input with its expected answer.</summary>
public static class HostileCases
{
    private const string U = StepResponses.Unauthorized;
    private static readonly string Json = StepResponses.BadRequest("error decoding json");
    private static readonly string MissingOtt = StepResponses.BadRequest("missing ott");
    private static readonly string MissingCsr = StepResponses.BadRequest("missing csr");
    private static readonly string InvalidCsr = StepResponses.BadRequest("invalid csr");
    private static readonly string NoClientCertificate = StepResponses.BadRequest("missing client certificate");
    private static readonly string OtherRootSha = Convert.ToHexStringLower(SHA256.HashData("another CA"u8));

    public static IEnumerable<HostileCase> All() =>
        Tokens().Concat(Csrs()).Concat(JsonBodies()).Concat(Revoke()).Concat(Renew()).Concat(Ssh()).Concat(SshPop()).Concat(Listing()).Concat(Framing()).Concat(Pending());

    private static IEnumerable<HostileCase> Tokens()
    {
        HostileCase T(string name, Func<HostileContext, string> ott, int status = 401, string? message = U) =>
            new("token", name, c => Sign(new { csr = c.Csr, ott = ott(c) }), status, message);
        yield return T("empty", _ => "", 400, MissingOtt);
        yield return T("a dot", _ => ".");
        yield return T("two dots", _ => "..");
        yield return T("three words", _ => "a.b.c");
        yield return T("four parts", c => c.Token() + ".AAAA");
        yield return T("two parts", c => string.Join('.', c.Token().Split('.').Take(2)));
        yield return T("signature tampered", c => c.Token()[..^4] + (c.Token()[^4] == 'A' ? "BBBB" : "AAAA"));
        yield return T("payload swapped from another token", c => c.Token().Split('.')[0] + "." + c.With(o => o["sub"] = "evil.example.com").Split('.')[1] + "." + c.Token().Split('.')[2]);
        yield return T("header is not json", c => c.RawBytes("not json"u8.ToArray(), Encoding.UTF8.GetBytes(c.Claims().ToJsonString())));
        yield return T("header is an array", c => c.Raw("[1,2]", c.Claims().ToJsonString()));
        yield return T("payload is an array", c => c.Raw(c.Header().ToJsonString(), "[1,2]"));
        yield return T("payload is a string", c => c.Raw(c.Header().ToJsonString(), "\"x\""));
        yield return T("payload not base64url", c => c.Token().Split('.')[0] + ".!!!!." + c.Token().Split('.')[2]);
        yield return T("padding in base64url", c => c.Token().Split('.')[0] + "=." + string.Join('.', c.Token().Split('.').Skip(1)));
        yield return T("payload invalid utf-8", c => c.RawBytes(Encoding.UTF8.GetBytes(c.Header().ToJsonString()), [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
        yield return T("payload with a nul byte", c => c.Raw(c.Header().ToJsonString(), c.Claims().ToJsonString().Replace("\"iss\"", "\"i\0ss\"", StringComparison.Ordinal)));
        yield return T("duplicate sub claim", c => c.Raw(c.Header().ToJsonString(), c.Claims().ToJsonString().TrimEnd('}') + ",\"sub\":\"evil.example.com\"}"));
        yield return T("duplicate kid header", c => c.Raw(c.Header().ToJsonString().TrimEnd('}') + ",\"kid\":\"other\"}", c.Claims().ToJsonString()));
        yield return T("deeply nested claim", c => c.Raw(c.Header().ToJsonString(), c.Claims().ToJsonString().TrimEnd('}') + ",\"x\":" + new string('[', 5000) + new string(']', 5000) + "}"));
        yield return T("alg none", c => CompactJws.Compose(new { alg = "none", kid = c.Pki.Provisioner.KeyId }, c.Claims(), _ => []));
        yield return T("alg NONE", c => CompactJws.Compose(new { alg = "NONE", kid = c.Pki.Provisioner.KeyId }, c.Claims(), _ => []));
        yield return T("alg HS256 keyed with the public jwk", c => CompactJws.Compose(new { alg = "HS256", kid = c.Pki.Provisioner.KeyId }, c.Claims(),
            input => HMACSHA256.HashData(Encoding.UTF8.GetBytes(c.Pki.Provisioner.Key.ToPublic().ToJson()), input)));
        yield return T("alg RS256 on an EC key", c => c.WithHeader(h => h["alg"] = "RS256"));
        yield return T("alg ES384 on a P-256 key", c => c.WithHeader(h => h["alg"] = "ES384"));
        yield return T("alg missing", c => c.WithHeader(h => h.Remove("alg")));
        yield return T("alg a number", c => c.WithHeader(h => h["alg"] = 7));
        yield return T("kid missing", c => c.WithHeader(h => h.Remove("kid")));
        yield return T("kid of another provisioner", c => c.WithHeader(h => h["kid"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        yield return T("kid of 10 000 characters", c => c.WithHeader(h => h["kid"] = new string('k', 10_000)));
        yield return T("embedded jwk header with the attacker's key", c =>
        {
            using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var p = attacker.ExportParameters(false);
            var header = new { alg = "ES256", kid = c.Pki.Provisioner.KeyId, jwk = new { kty = "EC", crv = "P-256", x = HostileContext.B64(p.Q.X!), y = HostileContext.B64(p.Q.Y!) } };
            return CompactJws.Compose(header, c.Claims(), input => attacker.SignData(input, HashAlgorithmName.SHA256));
        });
        yield return T("jku header pointing elsewhere, attacker's signature", c =>
        {
            using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return CompactJws.Compose(new { alg = "ES256", kid = c.Pki.Provisioner.KeyId, jku = "https://127.0.0.1:1/keys" }, c.Claims(), input => attacker.SignData(input, HashAlgorithmName.SHA256));
        });
        yield return T("x5c header with a self-signed certificate", c =>
        {
            using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var self = new CertificateRequest("CN=attacker", attacker, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            return CompactJws.Compose(new { alg = "ES256", kid = c.Pki.Provisioner.KeyId, x5c = new[] { Convert.ToBase64String(self.RawData) } }, c.Claims(),
                input => attacker.SignData(input, HashAlgorithmName.SHA256));
        });
        yield return T("signed by another key with the right kid", c =>
        {
            using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return CompactJws.Compose(c.Header(), c.Claims(), input => other.SignData(input, HashAlgorithmName.SHA256));
        });
        yield return T("iss of another provisioner", c => c.With(o => o["iss"] = "someone-else"));
        yield return T("iss missing", c => c.With(o => o.Remove("iss")));
        yield return T("iss a number", c => c.With(o => o["iss"] = 1));
        yield return T("aud of revoke", c => c.With(o => o["aud"] = ProvisionerKey.RevokeAudience));
        yield return T("aud of another CA", c => c.With(o => o["aud"] = "https://ca.example.com/1.0/sign"));
        yield return T("aud missing", c => c.With(o => o.Remove("aud")));
        yield return T("aud empty array", c => c.With(o => o["aud"] = new JsonArray()));
        yield return T("aud a number", c => c.With(o => o["aud"] = 5));
        yield return T("aud with an x5c fragment", c => c.With(o => o["aud"] = ProvisionerKey.SignAudience + "#x5c/" + c.Pki.Provisioner.Name));
        yield return T("sub missing", c => c.With(o => o.Remove("sub")));
        yield return T("sub empty", c => c.With(o => o["sub"] = ""));
        yield return T("sub a number", c => c.With(o => o["sub"] = 42));
        yield return T("exp missing", c => c.With(o => o.Remove("exp")));
        yield return T("exp null", c => c.With(o => o["exp"] = null));
        yield return T("exp a string", c => c.With(o => o["exp"] = "tomorrow"));
        yield return T("exp 1e300", c =>
        {
            var claims = c.Claims();
            var exp = claims["exp"]!.GetValue<long>();
            return c.Raw(c.Header().ToJsonString(), claims.ToJsonString().Replace($"\"exp\":{exp}", "\"exp\":1e300", StringComparison.Ordinal));
        });
        yield return T("exp negative", c => c.With(o => o["exp"] = -1));
        yield return T("exp two minutes ago", c => c.With(o => o["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120));
        yield return T("nbf ten minutes ahead", c => c.With(o => o["nbf"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600));
        yield return T("iat ten minutes ahead", c => c.With(o => o["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600));
        yield return T("iat before the CA started", c => c.With(o => o["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600));
        yield return T("jti a number", c => c.With(o => o["jti"] = 12345));
        yield return T("sans an object", c => c.With(o => o["sans"] = new JsonObject { ["a"] = 1 }));
        yield return T("sans with a number", c => c.With(o => o["sans"] = new JsonArray(HostileContext.Subject, 7)));
        yield return T("sans for another name", c => c.With(o => o["sans"] = new JsonArray("evil.example.com")), 403, null);
        yield return T("sha of another CA", c => c.With(o => o["sha"] = OtherRootSha));
        yield return T("sha a number", c => c.With(o => o["sha"] = 1));
        yield return T("sha empty", c => c.With(o => o["sha"] = ""));
        yield return T("sha of the root with a prefix", c => c.With(o => o["sha"] = "sha256:" + c.Pki.Provisioner.RootSha));
        yield return T("step a string", c => c.With(o => o["step"] = "ssh"));
        yield return T("cnf for another CSR", c => c.With(o => o["cnf"] = new JsonObject { ["x5rt#S256"] = HostileContext.B64(new byte[32]) }));
        yield return T("cnf a number", c => c.With(o => o["cnf"] = 3));
        yield return T("a nul character", c => c.Token().Insert(10, "\0"));
        yield return T("70 000 characters", c => c.Token() + new string('A', 70_000));
        yield return T("a trailing newline", c => c.Token() + "\n");
        yield return T("a leading space", c => " " + c.Token());
        yield return T("non-ASCII characters", c => "ëÿ" + c.Token());
        yield return T("an SSH token on the X.509 endpoint with another sha", c => c.SshToken(o => o["sha"] = OtherRootSha));
    }

    private static IEnumerable<HostileCase> Csrs()
    {
        HostileCase C(string name, Func<HostileContext, object?> csr, int status, string? message) =>
            new("csr", name, c => Sign(new Dictionary<string, object?> { ["csr"] = csr(c), ["ott"] = c.Token() }), status, message);
        HostileCase K(string name, Func<HostileContext, ECDsa, string> csr, int status, string? message) =>
            new("csr", name, c =>
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return Sign(new { csr = csr(c, key), ott = c.Token() });
            }, status, message);

        yield return new("csr", "missing", c => Sign(new { ott = c.Token() }), 400, MissingCsr);
        yield return C("empty", _ => "", 400, MissingCsr);
        yield return C("null", _ => null, 400, MissingCsr);
        yield return C("the string null", _ => "null", 400, MissingCsr);
        yield return C("a number", _ => 12, 400, Json);
        yield return C("an object", _ => new { pem = "x" }, 400, Json);
        yield return C("an array", _ => new[] { "x" }, 400, Json);
        yield return C("not PEM", _ => "just text", 400, Json);
        yield return C("PEM with bad base64", _ => "-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n", 400, Json);
        yield return C("PEM of a certificate", c => c.Pki.Root.ExportCertificatePem(), 400, InvalidCsr);
        yield return C("truncated DER", c => Pem(Der(c.Csr)[..40]), 400, Json);
        yield return C("DER with trailing bytes", c => Pem([.. Der(c.Csr), 0, 0]), 400, Json);
        yield return C("an empty SEQUENCE", _ => Pem([0x30, 0x00]), 400, InvalidCsr);
        yield return C("a SEQUENCE with a huge length", _ => Pem([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x00]), 400, Json);
        yield return C("a broken signature", c => { var der = Der(c.Csr); der[^1] ^= 1; return Pem(der); }, 400, InvalidCsr);
        yield return C("a nul inside the PEM", c => c.Csr.Insert(40, "\0"), 400, Json);
        yield return C("garbage PEM block before the CSR", c => "-----BEGIN X-----\nAAAA\n-----END X-----\n" + c.Csr, 400, Json);
        yield return K("an extra DNS name", (c, k) => CsrWith(k, b => { b.AddDnsName(HostileContext.Subject); b.AddDnsName("evil.example.com"); }), 403, null);
        yield return K("an extra IP address", (c, k) => CsrWith(k, b => { b.AddDnsName(HostileContext.Subject); b.AddIpAddress(System.Net.IPAddress.Loopback); }), 403, null);
        yield return K("an extra email address", (c, k) => CsrWith(k, b => { b.AddDnsName(HostileContext.Subject); b.AddEmailAddress("evil@example.com"); }), 403, null);
        yield return K("an extra URI", (c, k) => CsrWith(k, b => { b.AddDnsName(HostileContext.Subject); b.AddUri(new Uri("spiffe://evil/x")); }), 403, null);
        yield return K("another common name", (c, k) => CsrWith(k, b => b.AddDnsName(HostileContext.Subject), "CN=evil.example.com"), 403, null);
        yield return K("a wildcard DNS name", (c, k) => CsrWith(k, b => b.AddDnsName("*.host.test")), 403, null);
        yield return new("csr", "an RSA 1024 key", c =>
        {
            using var rsa = RSA.Create(1024);
            var request = new CertificateRequest("CN=" + HostileContext.Subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return Sign(new { csr = request.CreateSigningRequestPem(), ott = c.Token() });
        }, 403, null);
        yield return C("three megabytes", _ => new string('A', 3 * 1024 * 1024), 413, null);
    }

    private static IEnumerable<HostileCase> JsonBodies()
    {
        HostileCase B(string name, Func<HostileContext, byte[]> body, int status, string? message) => new("json", name, c => RawHttps.Post("/1.0/sign", body(c)), status, message);
        HostileCase S(string name, Func<HostileContext, string> body, int status, string? message) => B(name, c => Encoding.UTF8.GetBytes(body(c)), status, message);

        yield return S("empty body", _ => "", 400, Json);
        yield return S("whitespace only", _ => "   \n", 400, Json);
        yield return S("null", _ => "null", 400, MissingCsr);
        yield return S("an array", _ => "[]", 400, Json);
        yield return S("a string", _ => "\"csr\"", 400, Json);
        yield return S("a number", _ => "123", 400, Json);
        yield return S("true", _ => "true", 400, Json);
        yield return S("truncated object", _ => "{\"csr\":", 400, Json);
        yield return S("unterminated string", _ => "{\"csr\":\"abc", 400, Json);
        yield return S("single quotes", _ => "{'csr':'x'}", 400, Json);
        yield return S("a comment", _ => "{/* c */\"csr\":\"\"}", 400, Json);
        yield return S("a trailing comma", c => $$"""{"csr":{{JsonSerializer.Serialize(c.Csr)}},"ott":"x",}""", 400, Json);
        yield return B("invalid UTF-8 in a string", c => [.. "{\"csr\":\""u8, 0xff, 0xfe, .. "\",\"ott\":\"x\"}"u8], 400, Json);
        yield return B("a raw nul byte", _ => [.. "{\"csr\":\""u8, 0x00, .. "\"}"u8], 400, Json);
        yield return B("a UTF-8 byte order mark", c => [0xef, 0xbb, 0xbf, .. Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { csr = c.Csr, ott = c.Token() }))], 400, Json);
        yield return B("UTF-16 encoded", c => Encoding.Unicode.GetBytes(JsonSerializer.Serialize(new { csr = c.Csr, ott = c.Token() })), 400, Json);
        yield return S("an invalid escape", _ => "{\"csr\":\"\\uZZZZ\"}", 400, Json);
        yield return S("a lone surrogate in the token", c => $$"""{"csr":{{JsonSerializer.Serialize(c.Csr)}},"ott":"\ud800"}""", 400, Json);
        yield return S("10 000 nested arrays", _ => "{\"templateData\":" + new string('[', 10_000) + new string(']', 10_000) + "}", 400, Json);
        yield return S("100 nested objects", _ => "{\"templateData\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100) + "}", 400, Json);
        yield return S("duplicate csr, the last broken", c => $$"""{"csr":{{JsonSerializer.Serialize(c.Csr)}},"ott":"{{c.Token()}}","csr":"garbage"}""", 400, Json);
        yield return S("duplicate ott, the last empty", c => $$"""{"csr":{{JsonSerializer.Serialize(c.Csr)}},"ott":"{{c.Token()}}","OTT":""}""", 400, MissingOtt);
        yield return S("a nul in a member name", c => $$"""{"csr\u0000":{{JsonSerializer.Serialize(c.Csr)}},"ott":"{{c.Token()}}"}""", 400, MissingCsr);
        yield return S("a huge number in an unknown member", c => $$"""{"x":1e99999,"ott":"{{c.Token()}}"}""", 400, MissingCsr);
        yield return S("notAfter 999999999h", c => Body(c, "notAfter", "999999999h"), 400, Json);
        yield return S("notAfter 2562048h (int64 overflow)", c => Body(c, "notAfter", "2562048h"), 400, Json);
        yield return S("notAfter beyond decimal", c => Body(c, "notAfter", "79228162514264337593543950335h"), 400, Json);
        yield return S("validity of 2^63 nanoseconds", c => Body(c, "notAfter", "9223372036854775808ns"), 400, Json);
        yield return S("notAfter garbage", c => Body(c, "notAfter", "soon"), 400, Json);
        yield return S("notAfter a number", c => $$"""{"csr":{{JsonSerializer.Serialize(c.Csr)}},"ott":"{{c.Token()}}","notAfter":5}""", 400, Json);
        yield return S("notBefore year 10000", c => Body(c, "notBefore", "10000-01-01T00:00:00Z"), 400, Json);
        yield return S("notAfter with a nul", c => Body(c, "notAfter", "1h\u0000"), 400, Json);
        yield return S("notAfter 48h", c => Body(c, "notAfter", "48h"), 403,
            StepResponses.Forbidden("requested duration of 48h1m0s is more than the authorized maximum certificate duration of 24h1m0s"));
        yield return S("notAfter 1m", c => Body(c, "notAfter", "1m"), 403,
            StepResponses.Forbidden("requested duration of 2m0s is less than the authorized minimum certificate duration of 5m0s"));
        yield return S("notAfter year 9999", c => Body(c, "notAfter", "9999-12-31T23:59:59Z"), 403, null);
        yield return S("a two megabyte templateData", c => $$"""{"csr":{{JsonSerializer.Serialize(c.Csr)}},"ott":"{{c.Token()}}","templateData":"{{new string('t', 2 * 1024 * 1024)}}"}""", 413, null);
        yield return B("one byte over the body limit", _ => Encoding.ASCII.GetBytes(new string(' ', 1024 * 1024 + 1)), 413, null);
        yield return new("json", "form-encoded body", c => RawHttps.Build("POST /1.0/sign HTTP/1.1",
            ["Host: 127.0.0.1", "Connection: close", "Content-Type: application/x-www-form-urlencoded", "Content-Length: 15"], "csr=a&ott=b&x=1"u8.ToArray()), 400, Json);
    }

    private static IEnumerable<HostileCase> Revoke()
    {
        HostileCase R(string name, Func<HostileContext, string> body, int status, string? message) =>
            new("revoke", name, c => RawHttps.Post("/1.0/revoke", Encoding.UTF8.GetBytes(body(c))), status, message);
        string Tok(HostileContext c, string sub) => c.Pki.Provisioner.RevokeToken(sub);

        yield return R("missing serial", c => $$"""{"ott":"{{Tok(c, "1")}}","passive":true}""", 400, StepResponses.BadRequest("missing serial"));
        yield return R("reasonCode 11", c => $$"""{"serial":"1","ott":"{{Tok(c, "1")}}","reasonCode":11,"passive":true}""", 400, StepResponses.BadRequest("reasonCode out of bounds"));
        yield return R("reasonCode -1", c => $$"""{"serial":"1","ott":"{{Tok(c, "1")}}","reasonCode":-1,"passive":true}""", 400, StepResponses.BadRequest("reasonCode out of bounds"));
        yield return R("reasonCode int64 overflow", c => $$"""{"serial":"1","ott":"{{Tok(c, "1")}}","reasonCode":99999999999999999999,"passive":true}""", 400, Json);
        yield return R("reasonCode 1e30", c => $$"""{"serial":"1","ott":"{{Tok(c, "1")}}","reasonCode":1e30,"passive":true}""", 400, Json);
        yield return R("reasonCode a string", c => $$"""{"serial":"1","ott":"{{Tok(c, "1")}}","reasonCode":"1","passive":true}""", 400, Json);
        yield return R("reasonCode a fraction", c => $$"""{"serial":"1","ott":"{{Tok(c, "1")}}","reasonCode":1.5,"passive":true}""", 400, Json);
        yield return R("serial a number", c => $$"""{"serial":1,"ott":"{{Tok(c, "1")}}","passive":true}""", 400, Json);
        yield return R("passive a string", c => $$"""{"serial":"1","ott":"{{Tok(c, "1")}}","passive":"true"}""", 400, Json);
        yield return R("passive false", c => $$"""{"serial":"1","ott":"{{Tok(c, "1")}}","passive":false}""", 501, StepResponses.NotImplemented);
        yield return R("neither token nor client certificate", _ => """{"serial":"1","passive":true}""", 400, StepResponses.BadRequest("missing ott or client certificate"));
        yield return R("a garbage token", _ => """{"serial":"1","ott":"garbage","passive":true}""", 401, U);
        yield return R("a sign token", c => $$"""{"serial":"1","ott":"{{c.Pki.Provisioner.SignToken("1")}}","passive":true}""", 401, U);
        yield return R("a token for another serial", c => $$"""{"serial":"1","ott":"{{Tok(c, "2")}}","passive":true}""", 403, null);
        yield return R("a 600-digit serial against a token for 1", c => $$"""{"serial":"{{new string('9', 600)}}","ott":"{{Tok(c, "1")}}","passive":true}""", 400, null);
        yield return R("a huge hex serial against a token for 1", c => $$"""{"serial":"0x{{new string('f', 2000)}}","ott":"{{Tok(c, "1")}}","passive":true}""", 400, null);
        yield return R("a serial with a nul", c => $$"""{"serial":"1\u0000","ott":"{{Tok(c, "1")}}","passive":true}""", 400, null);
        yield return R("a serial that is not a number", c => $$"""{"serial":"not-a-serial","ott":"{{Tok(c, "not-a-serial")}}","passive":true}""", 400, null);
        yield return R("a negative serial", c => $$"""{"serial":"-1","ott":"{{Tok(c, "-1")}}","passive":true}""", 400, null);
        yield return R("a token without exp", c => $$"""{"serial":"1","ott":"{{c.With(o => o.Remove("exp"), ProvisionerKey.RevokeAudience, "1", false)}}","passive":true}""", 401, U);
        yield return R("a token of another CA", c => $$"""{"serial":"1","ott":"{{c.With(o => o["sha"] = OtherRootSha, ProvisionerKey.RevokeAudience, "1", false)}}","passive":true}""", 401, U);
        yield return R("a 500 KB reason with a garbage token", _ => $$"""{"serial":"1","ott":"x","reason":"{{new string('r', 500_000)}}","passive":true}""", 401, U);
        yield return R("duplicate ott, the last garbage", c => $$"""{"serial":"1","ott":"{{Tok(c, "1")}}","ott":"garbage","passive":true}""", 401, U);
        yield return R("not json", _ => "serial=1", 400, Json);
        yield return R("an array", _ => "[{\"serial\":\"1\"}]", 400, Json);
    }

    private static IEnumerable<HostileCase> Renew()
    {
        HostileCase A(string name, Func<HostileContext, string?> authorization, int status, string? message, string path = "/1.0/renew") =>
            new("renew", name, c => authorization(c) is { } a ? RawHttps.Post(path, "{}"u8.ToArray(), "Authorization: " + a) : RawHttps.Post(path, "{}"u8.ToArray()), status, message);
        JsonArray Chain(params X509Certificate2[] certificates) => new([.. certificates.Select(x => JsonValue.Create(Convert.ToBase64String(x.RawData)))]);
        string SelfSigned(Func<ECDsa, X509Certificate2, string> token)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var self = new CertificateRequest("CN=hostile.host.test", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            return token(key, self);
        }

        yield return A("no credentials", _ => null, 400, NoClientCertificate);
        yield return A("a Basic authorization", _ => "Basic dXNlcjpwYXNz", 400, NoClientCertificate);
        yield return A("a lower-case bearer scheme", c => "bearer " + c.Token(), 400, NoClientCertificate);
        yield return A("an empty bearer token", _ => "Bearer ", 400, NoClientCertificate);
        yield return A("a garbage bearer token", _ => "Bearer garbage", 401, U);
        yield return A("a sign token as bearer", c => "Bearer " + c.Token(), 401, U);
        yield return A("x5cInsecure not base64", _ => "Bearer " + SelfSigned((k, _) => HostileContext.RenewToken(new JsonArray("!!!"), k)), 401, U);
        yield return A("x5cInsecure a string", _ => "Bearer " + SelfSigned((k, x) => HostileContext.RenewToken(Convert.ToBase64String(x.RawData), k)), 401, U);
        yield return A("x5cInsecure empty", _ => "Bearer " + SelfSigned((k, _) => HostileContext.RenewToken(new JsonArray(), k)), 401, U);
        yield return A("x5cInsecure of eleven certificates", _ => "Bearer " + SelfSigned((k, x) => HostileContext.RenewToken(Chain(Enumerable.Repeat(x, 11).ToArray()), k)), 401, U);
        yield return A("x5cInsecure self-signed", _ => "Bearer " + SelfSigned((k, x) => HostileContext.RenewToken(Chain(x), k)), 401, U);
        yield return A("x5cInsecure the intermediate, signed by another key", c => "Bearer " + SelfSigned((k, _) => HostileContext.RenewToken(Chain(c.Pki.Intermediate), k)), 401, U);
        yield return A("x5cInsecure the root, signed by another key", c => "Bearer " + SelfSigned((k, _) => HostileContext.RenewToken(Chain(c.Pki.Root), k)), 401, U);
        yield return A("alg none over a self-signed chain", _ => "Bearer " + SelfSigned((k, x) =>
            CompactJws.Compose(new { alg = "none", x5cInsecure = new[] { Convert.ToBase64String(x.RawData) } }, new { sub = "hostile.host.test" }, _ => [])), 401, U);
        yield return A("a 30 000 character bearer token", _ => "Bearer " + new string('a', 30_000), 401, U);
        yield return new("renew", "a 70 000 character bearer token", _ => RawHttps.Post("/1.0/renew", "{}"u8.ToArray(), "Authorization: Bearer " + new string('a', 70_000)), 431, null, Transport: true);
        yield return new("renew", "two Authorization headers", c => RawHttps.Post("/1.0/renew", "{}"u8.ToArray(), "Authorization: Bearer garbage", "Authorization: Bearer " + c.Token()), 401, U);
        yield return A("rekey without a client certificate", c => null, 400, NoClientCertificate, "/1.0/rekey");
        yield return A("rekey with a bearer token", c => "Bearer " + c.Token(), 400, NoClientCertificate, "/1.0/rekey");
        yield return A("re-sign without credentials", _ => null, 400, NoClientCertificate, "/1.0/re-sign");
    }

    private static IEnumerable<HostileCase> Ssh()
    {
        HostileCase S(string name, Func<HostileContext, string> body, int status, string? message) =>
            new("ssh", name, c => RawHttps.Post("/1.0/ssh/sign", Encoding.UTF8.GetBytes(body(c))), status, message);
        string Key() => Convert.ToBase64String([0, 0, 0, 11, .. "ssh-ed25519"u8, 0, 0, 0, 32, .. RandomNumberGenerator.GetBytes(32)]);

        yield return S("empty body", _ => "", 400, Json);
        yield return S("publicKey not base64", c => $$"""{"publicKey":"!!!","ott":"{{c.SshToken()}}"}""", 400, Json);
        yield return S("publicKey garbage", c => $$"""{"publicKey":"{{Convert.ToBase64String("garbage"u8)}}","ott":"{{c.SshToken()}}"}""", 400, null);
        yield return S("publicKey with a huge length prefix", c => $$"""{"publicKey":"{{Convert.ToBase64String([0x7f, 0xff, 0xff, 0xff, 1, 2])}}","ott":"{{c.SshToken()}}"}""", 400, null);
        yield return S("certType root", c => $$"""{"publicKey":"{{Key()}}","ott":"{{c.SshToken()}}","certType":"root"}""", 400, StepResponses.BadRequest("invalid certType 'root'"));
        yield return S("missing ott", _ => $$"""{"publicKey":"{{Key()}}"}""", 400, StepResponses.BadRequest("missing or empty ott"));
        yield return S("garbage ott", _ => $$"""{"publicKey":"{{Key()}}","ott":"garbage"}""", 401, U);
        yield return S("validBefore 999999999h", c => $$"""{"publicKey":"{{Key()}}","ott":"{{c.SshToken()}}","validBefore":"999999999h"}""", 400, Json);
        yield return S("principals a number", c => $$"""{"publicKey":"{{Key()}}","ott":"{{c.SshToken()}}","principals":5}""", 400, Json);
        yield return S("a token without exp", c => $$"""{"publicKey":"{{Key()}}","ott":"{{c.SshToken(o => o.Remove("exp"))}}"}""", 401, U);
        yield return S("a token of another CA", c => $$"""{"publicKey":"{{Key()}}","ott":"{{c.SshToken(o => o["sha"] = OtherRootSha)}}"}""", 401, U);
        yield return S("an X.509 sign token without step.ssh", c => $$"""{"publicKey":"{{Key()}}","ott":"{{c.Token()}}"}""", 401, U);
        yield return S("principals outside the token's", c => $$"""{"publicKey":"{{Key()}}","ott":"{{c.SshToken()}}","certType":"user","principals":["root"]}""", 403, null);
    }

    private static IEnumerable<HostileCase> Listing()
    {
        HostileCase G(string name, string path, int status, string? message, bool transport = false) => new("listing", name, _ => RawHttps.Get(path), status, message, transport);
        var notFound = "The requested resource could not be found. Please see the certificate authority logs for more info.";

        yield return G("cursor garbage", "/1.0/provisioners?cursor=zz!!", 400, null);
        yield return G("cursor of 41 hex digits", "/1.0/provisioners?cursor=" + new string('a', 41), 400, null);
        yield return G("cursor of 4000 characters", "/1.0/provisioners?cursor=" + new string('f', 4000), 400, null);
        yield return G("cursor upper-case hex", "/1.0/provisioners?cursor=ABCDEF", 400, null);
        yield return G("cursor with an encoded nul", "/1.0/provisioners?cursor=%00", 400, null);
        yield return G("cursor with encoded UTF-8", "/1.0/provisioners?cursor=%C3%A9", 400, null);
        yield return G("cursor with invalid UTF-8", "/1.0/provisioners?cursor=%FF%FE", 400, null);
        yield return G("limit not a number", "/1.0/provisioners?limit=abc", 400, null);
        yield return G("limit int64 overflow", "/1.0/provisioners?limit=99999999999999999999", 400, null);
        yield return G("limit in exponent form", "/1.0/provisioners?limit=1e3", 400, null);
        yield return G("limit with a space", "/1.0/provisioners?limit=%201", 400, null);
        yield return G("encrypted key of an unknown kid", "/1.0/provisioners/unknown/encrypted-key", 404, notFound);
        yield return G("encrypted key of a 2000-character kid", "/1.0/provisioners/" + new string('k', 2000) + "/encrypted-key", 404, notFound);
        yield return G("encrypted key of an encoded nul kid", "/1.0/provisioners/%00/encrypted-key", 400, null, transport: true);
        yield return G("root of a garbage sha", "/1.0/root/not-a-sha", 404, notFound);
        yield return G("root of a 5000-character sha", "/1.0/root/" + new string('a', 5000), 404, notFound);
        yield return G("root of an encoded path traversal", "/1.0/root/..%2F..%2Fetc%2Fpasswd", 404, notFound);
        yield return G("a request line over 8 KiB", "/1.0/provisioners?cursor=" + new string('a', 9000), 414, null, transport: true);
    }

    private static IEnumerable<HostileCase> Framing()
    {
        HostileCase F(string name, Func<HostileContext, byte[]> request, int status = 400, bool transport = true) => new("framing", name, request, status, null, transport);
        byte[] Headers(params string[] headers) => RawHttps.Build("POST /1.0/sign HTTP/1.1", ["Host: 127.0.0.1", "Connection: close", "Content-Type: application/json", .. headers]);
        byte[] Chunked(string body) => [.. Headers("Transfer-Encoding: chunked"), .. Encoding.ASCII.GetBytes(body)];
        var small = "{\"csr\":\"\",\"ott\":\"x\"}";

        yield return F("chunk size not hex", _ => Chunked("zz\r\n{}\r\n0\r\n\r\n"));
        yield return F("chunk size overflowing", _ => Chunked("FFFFFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n"));
        yield return F("chunk size negative", _ => Chunked("-2\r\n{}\r\n0\r\n\r\n"));
        yield return F("chunk without its CRLF", _ => Chunked("2\r\n{}XX0\r\n\r\n"));
        yield return F("chunk longer than its size", _ => Chunked("1\r\n{}\r\n0\r\n\r\n"));
        yield return F("chunk extension of 100 KB", _ => Chunked("2;" + new string('e', 100_000) + "\r\n{}\r\n0\r\n\r\n"));
        yield return F("duplicate equal Content-Length", _ => [.. Headers($"Content-Length: {small.Length}", $"Content-Length: {small.Length}"), .. Encoding.ASCII.GetBytes(small)]);
        yield return F("conflicting Content-Length", _ => [.. Headers($"Content-Length: {small.Length}", "Content-Length: 3"), .. Encoding.ASCII.GetBytes(small)]);
        yield return F("Content-Length list", _ => [.. Headers($"Content-Length: {small.Length}, {small.Length}"), .. Encoding.ASCII.GetBytes(small)]);
        yield return F("Content-Length not a number", _ => [.. Headers("Content-Length: abc"), .. Encoding.ASCII.GetBytes(small)]);
        yield return F("Content-Length negative", _ => [.. Headers("Content-Length: -1"), .. Encoding.ASCII.GetBytes(small)]);
        yield return F("Content-Length overflowing", _ => [.. Headers("Content-Length: 99999999999999999999999"), .. Encoding.ASCII.GetBytes(small)]);
        yield return F("Content-Length with chunked", _ => [.. Headers("Content-Length: 4", "Transfer-Encoding: chunked"), .. Encoding.ASCII.GetBytes($"{small.Length:x}\r\n{small}\r\n0\r\n\r\n")]);
        yield return F("chunked with Content-Length after it", _ => [.. Headers("Transfer-Encoding: chunked", "Content-Length: 4"), .. Encoding.ASCII.GetBytes($"{small.Length:x}\r\n{small}\r\n0\r\n\r\n")]);
        yield return F("Transfer-Encoding identity", _ => [.. Headers("Transfer-Encoding: identity"), .. Encoding.ASCII.GetBytes(small)]);
        yield return F("Transfer-Encoding gzip only", _ => [.. Headers("Transfer-Encoding: gzip"), .. Encoding.ASCII.GetBytes(small)]);
        yield return F("Transfer-Encoding chunked twice", _ => [.. Headers("Transfer-Encoding: chunked, chunked"), .. Encoding.ASCII.GetBytes($"{small.Length:x}\r\n{small}\r\n0\r\n\r\n")]);
        yield return F("a 3 MB Content-Length with Expect 100-continue", _ => Headers("Content-Length: 3145728", "Expect: 100-continue"), 413, transport: false);
        yield return F("headers over 32 KiB", _ => Headers("X-Pad: " + new string('p', 40_000)), 431);
        yield return F("more than 100 headers", _ => Headers([.. Enumerable.Range(0, 120).Select(i => $"X-H{i}: v")]), 431);
        yield return F("a nul in a header value", _ => Headers("X-Nul: a\0b"));
        yield return F("an obsolete folded header", _ => Headers("X-Fold: a", " b"));
        yield return F("a header without a colon", _ => Headers("NoColonHere"));
        yield return F("a space before the colon", _ => Headers("Content-Length : 2"));
        yield return F("no Host header", _ => RawHttps.Build("GET /1.0/health HTTP/1.1", ["Connection: close"]));
        yield return F("two Host headers", _ => RawHttps.Build("GET /1.0/health HTTP/1.1", ["Host: a", "Host: b", "Connection: close"]));
        yield return F("a method with a space", _ => RawHttps.Build("GE T /1.0/health HTTP/1.1", ["Host: 127.0.0.1", "Connection: close"]));
        yield return F("an invalid character in a header name", _ => Headers("X(H): v"));
        yield return F("a nul in the request target", _ => RawHttps.Build("GET /1.0/he\0alth HTTP/1.1", ["Host: 127.0.0.1", "Connection: close"]));
        yield return F("a CR inside a header value", _ => Headers("X-A: a\rb"));
    }

    // /ssh/renew, /ssh/rekey and /ssh/revoke (served since SSHPOP runs); token-level cases are in
    // tests/Pki.Provisioners.Tests/SshPop and tests/Pki.Host.Tests/Ssh/SshPopRenewalTests.
    private static IEnumerable<HostileCase> SshPop()
    {
        HostileCase P(string path, string name, Func<HostileContext, string> body, int status, string? message) =>
            new("sshpop", $"{path} {name}", c => RawHttps.Post("/1.0/ssh/" + path, Encoding.UTF8.GetBytes(body(c))), status, message);
        string Key() => Convert.ToBase64String([0, 0, 0, 11, .. "ssh-ed25519"u8, 0, 0, 0, 32, .. RandomNumberGenerator.GetBytes(32)]);
        // A JWS whose sshpop header is not an SSH certificate.
        const string NotACertificate = "eyJhbGciOiJFUzI1NiIsInNzaHBvcCI6IkFBQUEifQ.eyJhdWQiOiJodHRwczovLzEyNy4wLjAuMS8xLjAvc3NoL3JlbmV3I3NzaHBvcC9zc2hwb3AifQ.AAAA";

        yield return new("sshpop", "revoke with a garbage body", _ => RawHttps.Post("/1.0/ssh/revoke", "garbage"u8.ToArray()), 400, Json);
        yield return new("sshpop", "renew with a 3 MB body", _ => RawHttps.Post("/1.0/ssh/renew", new byte[3 * 1024 * 1024]), 413, null);
        yield return P("renew", "without ott", _ => "{}", 400, StepResponses.BadRequest("missing or empty ott"));
        yield return P("renew", "a garbage ott", _ => """{"ott":"garbage"}""", 401, U);
        yield return P("renew", "an sshpop header that is not a certificate", _ => $$"""{"ott":"{{NotACertificate}}"}""", 401, U);
        yield return P("renew", "a JWK sign token", c => $$"""{"ott":"{{c.Token()}}"}""", 401, U);
        yield return P("rekey", "without publicKey", _ => """{"ott":"garbage"}""", 400, StepResponses.BadRequest("missing or empty public key"));
        yield return P("rekey", "publicKey garbage", _ => $$"""{"ott":"garbage","publicKey":"{{Convert.ToBase64String("garbage"u8)}}"}""", 400, null);
        yield return P("rekey", "a garbage ott", _ => $$"""{"ott":"garbage","publicKey":"{{Key()}}"}""", 401, U);
        yield return P("revoke", "without serial", _ => """{"ott":"x","passive":true}""", 400, StepResponses.BadRequest("missing serial"));
        yield return P("revoke", "a hex serial", _ => """{"serial":"0x10","ott":"x","passive":true}""", 400, null);
        yield return P("revoke", "reasonCode 11", _ => """{"serial":"1","ott":"x","reasonCode":11,"passive":true}""", 400, StepResponses.BadRequest("reasonCode out of bounds"));
        yield return P("revoke", "active revocation", _ => """{"serial":"1","ott":"x"}""", 501, null);
        yield return P("revoke", "a garbage ott", _ => """{"serial":"1","ott":"garbage","passive":true}""", 401, U);
        yield return P("revoke", "a JWK sign token", c => $$"""{"serial":"2","ott":"{{c.Token()}}","passive":true}""", 401, U);
    }

    private static IEnumerable<HostileCase> Pending()
    {
        yield return new("pending", "GET /crl with a garbage query", _ => RawHttps.Get("/1.0/crl?pem=%00%FF"), 501, StepResponses.NotImplemented);
        // ACME is served now; its hostile requests are in tests/Pki.Host.Tests/Acme/Protocol.
        // The SSH configuration routes are served now (tests/Pki.Host.Tests/Ssh/SshHostsApiTests has the rest).
        yield return new("ssh", "POST /ssh/config with a garbage body", _ => RawHttps.Post("/1.0/ssh/config", "garbage"u8.ToArray()), 400, Json);
        yield return new("ssh", "POST /ssh/check-host with an array body", _ => RawHttps.Post("/1.0/ssh/check-host", "[]"u8.ToArray()), 400, Json);
    }

    private static byte[] Sign(object body) => RawHttps.Post("/1.0/sign", JsonSerializer.SerializeToUtf8Bytes(body));

    private static string Body(HostileContext c, string member, string value) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["csr"] = c.Csr, ["ott"] = c.Token(), [member] = value });

    private static byte[] Der(string pem) => Convert.FromBase64String(pem[PemEncoding.Find(pem).Base64Data]);

    private static string Pem(byte[] der) => new string(PemEncoding.Write("CERTIFICATE REQUEST", der)) + "\n";

    private static string CsrWith(ECDsa key, Action<SubjectAlternativeNameBuilder> sans, string subject = "CN=" + HostileContext.Subject)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var builder = new SubjectAlternativeNameBuilder();
        sans(builder);
        request.CertificateExtensions.Add(builder.Build());
        return request.CreateSigningRequestPem();
    }
}
