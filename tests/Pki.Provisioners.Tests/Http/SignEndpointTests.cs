using System.Security.Cryptography;
using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Provisioners.Http;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Tests.Http;

public class SignEndpointTests : StepApiTestBase
{
    private static string SignRequestJson => Fixtures.Text("issued", "sign-request.json");

    private static string Ott => JsonDocument.Parse(SignRequestJson).RootElement.GetProperty("ott").GetString()!;

    private static byte[] CsrDer => PemEncoding.Find(FixturePki.CsrPem()) is var fields
        ? Convert.FromBase64String(FixturePki.CsrPem()[fields.Base64Data])
        : [];

    [TestCase("/sign")]
    [TestCase("/1.0/sign")]
    public async Task Sign_answers_201_with_step_cas_exact_body(string path)
    {
        var response = await PostAsync(path, SignRequestJson);

        ((int)response.StatusCode).Should().Be(201);
        response.Content.Headers.ContentType!.ToString().Should().Be("application/json");
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Fixtures.Bytes("issued", "sign-response.json"));
    }

    [Test]
    public async Task Sign_passes_the_decoded_request_to_the_authority()
    {
        await PostAsync("/1.0/sign", SignRequestJson);

        var sign = Server.Authority.LastSign!;
        sign.Csr.Der.Should().Equal(CsrDer);
        sign.Token.Should().Be(Ott);
        sign.NotBefore.IsEmpty.Should().BeTrue();
        sign.NotAfter.IsEmpty.Should().BeTrue();
        sign.TemplateData.Should().BeNull();
    }

    [Test]
    public async Task Sign_passes_validity_and_template_data()
    {
        var body = JsonSerializer.Serialize(new
        {
            csr = FixturePki.CsrPem(),
            ott = "token",
            notBefore = "2026-11-22T14:00:00Z",
            notAfter = "1h30m",
            templateData = new { role = "web", n = 2 },
        });

        (await PostAsync("/sign", body)).StatusCode.Should().Be(System.Net.HttpStatusCode.Created);

        var sign = Server.Authority.LastSign!;
        sign.NotBefore.Should().Be(TimeDuration.At(new DateTimeOffset(2026, 11, 22, 14, 0, 0, TimeSpan.Zero)));
        sign.NotAfter.Should().Be(TimeDuration.After(TimeSpan.FromMinutes(90)));
        sign.TemplateData!.Value.GetRawText().Should().Be("""{"role":"web","n":2}""");
    }

    [Test]
    public async Task Member_names_match_case_insensitively_and_data_after_the_object_is_ignored()
    {
        // Go's encoding/json folds case; json.Decoder reads only the first value.
        var body = JsonSerializer.Serialize(new { CSR = FixturePki.CsrPem(), Ott = "token", unknown = new[] { 1 } }) + " trailing garbage";

        var response = await PostAsync("/sign", body);

        ((int)response.StatusCode).Should().Be(201);
        Server.Authority.LastSign!.Token.Should().Be("token");
    }

    [TestCase("""{"csr":"","ott":"token"}""", "missing csr")]
    [TestCase("""{"csr":null,"ott":"token"}""", "missing csr")]
    [TestCase("null", "missing csr")]
    [TestCase("{}", "missing csr")]
    public async Task Absent_csr_is_missing_csr(string body, string reason)
    {
        await ShouldBeStepError(await PostAsync("/sign", body), 400, BadRequestMessage(reason));
        Server.Authority.LastSign.Should().BeNull();
    }

    [TestCase("")]
    [TestCase(null)]
    public async Task Absent_ott_is_missing_ott(string? ott)
    {
        var body = JsonSerializer.Serialize(new { csr = FixturePki.CsrPem(), ott });

        await ShouldBeStepError(await PostAsync("/sign", body), 400, BadRequestMessage("missing ott"));
    }

    [TestCase("""{"csr": "-----BEGIN CERTIFICATE REQUEST-----", "ott": """, TestName = "Truncated JSON")]
    [TestCase("", TestName = "Empty body")]
    [TestCase("[1,2]", TestName = "Array instead of object")]
    [TestCase("""{"csr":"not a pem","ott":"t"}""", TestName = "CSR without a PEM block")]
    [TestCase("""{"csr":"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n","ott":"t"}""", TestName = "CSR PEM that is not DER")]
    [TestCase("""{"csr":12,"ott":"t"}""", TestName = "CSR of the wrong type")]
    [TestCase("""{"ott":true}""", TestName = "OTT of the wrong type")]
    [TestCase("""{"notAfter":"tomorrow"}""", TestName = "Unparsable notAfter")]
    [TestCase("""{"notBefore":3600}""", TestName = "Numeric notBefore")]
    public async Task Undecodable_body_is_error_decoding_json_with_the_reason_logged(string body)
    {
        await ShouldBeStepError(await PostAsync("/sign", body), 400, BadRequestMessage("error decoding json"));

        var refused = Server.Logs.Entries.Single(e => e.EventId.Id == 3100);
        refused.Message.Should().StartWith("POST /sign answered 400: error decoding json: ");
        Server.Authority.LastSign.Should().BeNull();
    }

    [Test]
    public async Task Csr_whose_signature_does_not_verify_is_invalid_csr()
    {
        var der = CsrDer;
        der[^1] ^= 0x01;
        var body = JsonSerializer.Serialize(new { csr = PemEncoding.WriteString("CERTIFICATE REQUEST", der), ott = "t" });

        await ShouldBeStepError(await PostAsync("/sign", body), 400, BadRequestMessage("invalid csr"));
    }

    [Test]
    public async Task Tls_options_are_echoed_with_versions_as_json_numbers()
    {
        Server.Options.TlsOptions = new StepTlsOptions { CipherSuites = ["TLS_AES_128_GCM_SHA256"], MinVersion = 1.0, MaxVersion = 1.3, Renegotiation = true };

        var body = await (await PostAsync("/sign", SignRequestJson)).Content.ReadAsStringAsync();

        body.Should().EndWith(""","tlsOptions":{"cipherSuites":["TLS_AES_128_GCM_SHA256"],"minVersion":1,"maxVersion":1.3,"renegotiation":true}}""" + "\n");
    }

    [Test]
    public async Task Without_tls_options_the_member_is_omitted_and_a_lone_leaf_has_a_null_ca()
    {
        Server.Options.TlsOptions = null;
        Server.Authority.Issued = new IssuedCertificate(FixturePki.SignedLeaf().RawData, []);

        var body = await (await PostAsync("/sign", SignRequestJson)).Content.ReadAsStringAsync();

        using var json = JsonDocument.Parse(body);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("crt", "ca", "certChain");
        json.RootElement.GetProperty("ca").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("certChain").GetArrayLength().Should().Be(1);
    }
}
