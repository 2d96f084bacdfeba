using System.Text;

namespace Smallstep.Pki.Tests.Http;

public class RequestSizeLimitTests : StepApiTestBase
{
    private const string TooLarge = "The request could not be completed: request body is larger than 1048576 bytes.";

    [Test]
    public async Task A_body_announced_larger_than_the_limit_is_413()
    {
        var body = "{\"ott\":\"" + new string('a', 1024 * 1024) + "\"}";

        await ShouldBeStepError(await PostAsync("/1.0/sign", body), 413, TooLarge);
    }

    [Test]
    public async Task A_chunked_body_growing_past_the_limit_is_413()
    {
        var bytes = Encoding.ASCII.GetBytes("{\"ott\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");
        using var content = new StreamContent(new MemoryStream(bytes));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/1.0/revoke") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await ShouldBeStepError(await Client.SendAsync(request), 413, TooLarge);
        Server.Authority.LastRevoke.Should().BeNull();
    }

    [Test]
    public async Task A_body_at_the_limit_is_read()
    {
        var body = Fixtures.Text("issued", "sign-request.json");
        Server.Options.MaxRequestBodySize = Encoding.UTF8.GetByteCount(body);

        ((int)(await PostAsync("/sign", body)).StatusCode).Should().Be(201);

        Server.Options.MaxRequestBodySize -= 1;
        ((int)(await PostAsync("/sign", body)).StatusCode).Should().Be(413);
    }

    [Test]
    public async Task Kestrels_own_body_limit_is_answered_in_the_step_error_shape()
    {
        Server.Options.MaxRequestBodySize = 2 * StepApiServer.KestrelBodyLimit;
        using var content = new StreamContent(new MemoryStream(new byte[StepApiServer.KestrelBodyLimit + 1]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sign") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await ShouldBeStepError(await Client.SendAsync(request), 413,
            "The request could not be completed: request body is larger than the server accepts.");
    }
}
