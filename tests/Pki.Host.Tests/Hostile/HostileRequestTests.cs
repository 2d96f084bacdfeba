using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>
/// Hostile <c>POST /1.0/sign</c> bodies with an otherwise valid token: oversized, not JSON, broken
/// CSRs, and CSRs asking for names the token does not grant. Each is the right 4xx with step's
/// <c>{"status","message"}</c> body and no certificate is stored.
/// </summary>
public class HostileRequestTests : ServedPkiTests
{
    private const string Subject = "victim.host.test";
    private readonly ClientKey _key = new();
    private int _certificatesBefore;

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    [SetUp]
    public void CountCertificates() => _certificatesBefore = Pki.CountRows("x509_certs");

    [TearDown]
    public void NothingStored() => Pki.CountRows("x509_certs").Should().Be(_certificatesBefore, "a refused request stores no certificate");

    [Test]
    public async Task Two_megabyte_body_is_too_large()
    {
        var body = $$"""{"csr":"{{new string('A', 2 * 1024 * 1024)}}","ott":"{{Token()}}"}""";

        using var response = await Client.PostRawAsync("/1.0/sign", body);

        await response.ShouldBeStepErrorAsync(413);
    }

    [Test]
    public async Task Two_megabyte_chunked_body_is_too_large()
    {
        // No Content-Length: the limit must hold while reading, not only from the header.
        var bytes = System.Text.Encoding.UTF8.GetBytes($$"""{"csr":"{{new string('A', 2 * 1024 * 1024)}}","ott":"x"}""");
        using var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/1.0/sign") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await Client.SendAsync(request);

        await response.ShouldBeStepErrorAsync(413);
    }

    [Test]
    public async Task Deeply_nested_json_is_a_bad_request()
    {
        var body = "{\"templateData\":" + new string('[', 10_000) + new string(']', 10_000) + ",\"csr\":\"\",\"ott\":\"x\"}";

        using var response = await Client.PostRawAsync("/1.0/sign", body);

        await response.ShouldBeStepErrorAsync(400);
    }

    [Test]
    public async Task Oversized_token_is_refused()
    {
        var token = Pki.Provisioner.Signer().Sign(Pki.Provisioner.Descriptor(Subject) with
        {
            ExtraClaims = new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["padding"] = System.Text.Json.JsonSerializer.SerializeToElement(new string('p', 100_000)),
            },
        });

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr = _key.CsrPem(Subject), ott = token });

        await response.ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
    }

    [Test]
    public async Task Non_json_body_is_a_bad_request()
    {
        using var response = await Client.PostRawAsync("/1.0/sign", "csr=garbage&ott=garbage");

        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest("error decoding json"));
    }

    [Test]
    public async Task Garbage_pem_csr_is_a_bad_request()
    {
        const string garbage = "-----BEGIN CERTIFICATE REQUEST-----\nZ2FyYmFnZSwgbm90IERFUg==\n-----END CERTIFICATE REQUEST-----\n";

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr = garbage, ott = Token() });

        // step-ca fails while decoding the JSON (api.CertificateRequest.UnmarshalJSON).
        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest("error decoding json"));
    }

    [Test]
    public async Task Csr_with_a_broken_signature_is_a_bad_request()
    {
        var der = PemEncoding.Write("CERTIFICATE REQUEST", BrokenSignature(_key.CsrPem(Subject)));

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr = new string(der) + "\n", ott = Token() });

        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest("invalid csr"));
    }

    [Test]
    public async Task Csr_with_an_extra_dns_name_is_forbidden()
    {
        var csr = _key.CsrPem(Subject, Subject, "evil.example.com");

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr, ott = Token() });

        await response.ShouldBeStepErrorAsync(403, StepResponses.Forbidden(
            $"certificate request does not contain the valid DNS names - got [{Subject} evil.example.com], want [{Subject}]"));
    }

    [Test]
    public async Task Csr_with_an_extra_ip_address_is_forbidden()
    {
        var request = new CertificateRequest("CN=" + Subject, _key.Key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName(Subject);
        sans.AddIpAddress(System.Net.IPAddress.Parse("10.0.0.1"));
        request.CertificateExtensions.Add(sans.Build());

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr = request.CreateSigningRequestPem(), ott = Token() });

        await response.ShouldBeStepErrorAsync(403, StepResponses.Forbidden(
            "certificate request does not contain the valid IP addresses - got [10.0.0.1], want []"));
    }

    [Test]
    public async Task Csr_with_another_common_name_is_forbidden()
    {
        var csr = _key.CsrPem("other.host.test", Subject);

        using var response = await Client.PostJsonAsync("/1.0/sign", new { csr, ott = Token() });

        // jwk.go: commonNameSliceValidator(append([]string{sub}, sans...)), printed with Go's %s.
        await response.ShouldBeStepErrorAsync(403, StepResponses.Forbidden(
            $"certificate request does not contain the valid common name - got other.host.test, want [{Subject} {Subject}]"));
    }

    private string Token() => Pki.Provisioner.SignToken(Subject);

    // Flips the last byte of the signature BIT STRING: still well-formed DER, no longer a valid signature.
    private static byte[] BrokenSignature(string csrPem)
    {
        var der = PemEncoding.Find(csrPem) is var fields ? Convert.FromBase64String(csrPem[fields.Base64Data]) : [];
        der[^1] ^= 0x01;
        return der;
    }
}
