using System.Text;
using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>
/// Malformed HTTP/1.1 framing sent with raw sockets over TLS to the real host: broken chunk sizes,
/// duplicate or conflicting <c>Content-Length</c>, and <c>Content-Length</c> with
/// <c>Transfer-Encoding</c> (a request-smuggling shape) are 400, never 500, and nothing is stored.
/// A malformed pagination cursor is a 400 with step-ca's JSON error body.
/// </summary>
public class FramingTests : ServedPkiTests
{
    private static readonly byte[] SmallBody = """{"csr":"","ott":"x"}"""u8.ToArray();

    [Test]
    public Task A_chunk_size_that_is_not_hex_is_a_bad_request() =>
        ShouldBeBadRequestAsync(Chunked("zz\r\n{}\r\n0\r\n\r\n"));

    [Test]
    public Task A_chunk_size_that_overflows_is_a_bad_request() =>
        ShouldBeBadRequestAsync(Chunked("FFFFFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n"));

    [Test]
    public Task A_negative_chunk_size_is_a_bad_request() =>
        ShouldBeBadRequestAsync(Chunked("-2\r\n{}\r\n0\r\n\r\n"));

    [Test]
    public Task A_chunk_without_its_crlf_is_a_bad_request() =>
        ShouldBeBadRequestAsync(Chunked("2\r\n{}XX0\r\n\r\n"));

    [Test]
    public Task A_chunk_longer_than_its_size_is_a_bad_request() =>
        ShouldBeBadRequestAsync(Chunked("1\r\n{}\r\n0\r\n\r\n"));

    [Test]
    public Task Duplicate_equal_content_lengths_are_a_bad_request() =>
        ShouldBeBadRequestAsync(RawHttps.Build("POST /1.0/sign HTTP/1.1",
            ["Host: 127.0.0.1", "Connection: close", "Content-Type: application/json", $"Content-Length: {SmallBody.Length}", $"Content-Length: {SmallBody.Length}"], SmallBody));

    [Test]
    public Task Conflicting_content_lengths_are_a_bad_request() =>
        ShouldBeBadRequestAsync(RawHttps.Build("POST /1.0/sign HTTP/1.1",
            ["Host: 127.0.0.1", "Connection: close", "Content-Type: application/json", $"Content-Length: {SmallBody.Length}", "Content-Length: 3"], SmallBody));

    [Test]
    public Task A_content_length_list_is_a_bad_request() =>
        ShouldBeBadRequestAsync(RawHttps.Build("POST /1.0/sign HTTP/1.1",
            ["Host: 127.0.0.1", "Connection: close", "Content-Type: application/json", $"Content-Length: {SmallBody.Length}, {SmallBody.Length}"], SmallBody));

    [Test]
    public Task Content_length_with_chunked_transfer_encoding_is_a_bad_request()
    {
        var chunked = Encoding.ASCII.GetBytes($"{SmallBody.Length:x}\r\n").Concat(SmallBody).Concat("\r\n0\r\n\r\n"u8.ToArray()).ToArray();
        return ShouldBeBadRequestAsync(RawHttps.Build("POST /1.0/sign HTTP/1.1",
            ["Host: 127.0.0.1", "Connection: close", "Content-Type: application/json", "Content-Length: 4", "Transfer-Encoding: chunked"], chunked));
    }

    [Test]
    public Task Content_length_with_chunked_transfer_encoding_on_a_get_is_a_bad_request() =>
        ShouldBeBadRequestAsync(RawHttps.Build("GET /1.0/provisioners HTTP/1.1",
            ["Host: 127.0.0.1", "Connection: close", "Content-Length: 5", "Transfer-Encoding: chunked"], "0\r\n\r\n"u8.ToArray()));

    [TestCase("zz!!")]
    [TestCase("0000000000000000000000000000000000000000000000000000000000")]
    [TestCase("%00")]
    [TestCase("ABCDEF")]
    public async Task A_malformed_cursor_is_a_bad_request_with_steps_body(string cursor)
    {
        var response = await RawHttps.SendAsync(Pki.BaseAddress, Pki.Root, RawHttps.Get("/1.0/provisioners?cursor=" + cursor));

        response.Status.Should().Be(400, response.ToString());
        ShouldBeStepJson(response, 400);
    }

    [Test]
    public async Task An_over_long_cursor_is_a_bad_request_with_steps_body()
    {
        var response = await RawHttps.SendAsync(Pki.BaseAddress, Pki.Root, RawHttps.Get("/1.0/provisioners?cursor=" + new string('f', 4000)));

        response.Status.Should().Be(400, response.ToString());
        ShouldBeStepJson(response, 400);
    }

    [Test]
    public async Task A_valid_cursor_still_pages()
    {
        using var response = await Client.GetAsync("/1.0/provisioners?limit=1");
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var next = page.RootElement.GetProperty("nextCursor").GetString();

        using var second = await Client.GetAsync("/1.0/provisioners?cursor=" + next);

        ((int)second.StatusCode).Should().Be(200);
    }

    private static byte[] Chunked(string body) => RawHttps.Build("POST /1.0/sign HTTP/1.1",
        ["Host: 127.0.0.1", "Connection: close", "Content-Type: application/json", "Transfer-Encoding: chunked"], Encoding.ASCII.GetBytes(body));

    private async Task ShouldBeBadRequestAsync(byte[] request)
    {
        var certificates = Pki.CountRows("x509_certs");
        var mark = Pki.Log.Mark();

        var response = await RawHttps.SendAsync(Pki.BaseAddress, Pki.Root, request);

        response.Status.Should().Be(400, response.ToString());
        if (response.Body.Length > 0)
        {
            ShouldBeStepJson(response, 400);
        }
        Pki.CountRows("x509_certs").Should().Be(certificates);
        (await Pki.Log.WaitForLineAsync(mark, l => l.Contains(" 400", StringComparison.Ordinal) || l.Contains("Bad", StringComparison.OrdinalIgnoreCase)))
            .Should().NotBeNull();
        Pki.Log.Lines.Skip(mark).Should().NotContain(l => l.Contains(" 500 ", StringComparison.Ordinal));
    }

    internal static void ShouldBeStepJson(RawHttps.Response response, int status)
    {
        response.ContentType.Should().Be("application/json");
        using var json = JsonDocument.Parse(response.Body);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("status", "message");
        json.RootElement.GetProperty("status").GetInt32().Should().Be(status);
        json.RootElement.GetProperty("message").GetString().Should().NotBeNullOrEmpty();
    }
}
