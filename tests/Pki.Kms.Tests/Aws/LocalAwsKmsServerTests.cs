using System.Net;
using System.Text;
using System.Text.Json;

namespace Smallstep.Pki.Tests.Kms.Aws;

/// <summary>The local AWS KMS server refuses what AWS refuses, in AWS's error shape, so the awskms tests can fail.</summary>
[TestFixture]
public sealed class LocalAwsKmsServerTests
{
    private LocalAwsKms _kms = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _kms = await LocalAwsKms.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _kms.DisposeAsync();

    [TestCase(null, "MissingAuthenticationTokenException")]
    [TestCase("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/{date}/us-east-2/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "InvalidSignatureException")]
    [TestCase("AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN/{date}/us-east-2/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "UnrecognizedClientException")]
    public async Task Unsigned_or_badly_signed_requests_get_AWSs_error_json_with_400(string? authorization, string type)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate!.RawData.AsSpan().SequenceEqual(_kms.Server.Certificate.RawData) };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, _kms.Server.Endpoint)
        {
            Content = new StringContent("{\"KeyId\":\"alias/x\"}", Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "TrentService.GetPublicKey");
        var now = DateTimeOffset.UtcNow;
        request.Headers.TryAddWithoutValidation("X-Amz-Date", now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization.Replace("{date}", now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("__type").GetString().Should().Be(type);
        body.RootElement.GetProperty("message").GetString().Should().NotBeNullOrEmpty();
    }
}
