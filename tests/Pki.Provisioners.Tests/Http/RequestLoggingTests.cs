using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Tests.Http;

public class RequestLoggingTests : StepApiTestBase
{
    // Filtered by path: the line of a previous test's request may arrive after this test started.
    private Task<IReadOnlyList<LogEntry>> RequestLinesAsync(string pathPrefix, int count = 1) =>
        Server.Logs.WaitForAsync(e => e.EventId.Id is >= 3110 and <= 3112 && e.Message.Contains(" " + pathPrefix, StringComparison.Ordinal), count);

    [Test]
    public async Task Each_request_is_logged_once_with_method_path_status_and_request_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/1.0/roots");
        request.Headers.Add("X-Request-Id", "req-123");

        var response = await Client.SendAsync(request);

        response.Headers.GetValues("X-Request-Id").Should().Equal("req-123");
        var line = (await RequestLinesAsync("/1.0/roots ")).Should().ContainSingle().Subject;
        line.Level.Should().Be(LogLevel.Information);
        line.Message.Should().MatchRegex(@"^GET /1\.0/roots 201 in [0-9.]+ ms, request req-123$");
    }

    [Test]
    public async Task The_legacy_trace_header_is_used_when_x_request_id_is_absent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Smallstep-Id", "legacy-1");

        var response = await Client.SendAsync(request);

        response.Headers.GetValues("X-Request-Id").Should().Equal("legacy-1");
    }

    [TestCase(null)]
    [TestCase("has space")]
    [TestCase("x")]
    public async Task A_missing_or_unacceptable_request_id_is_replaced_by_a_uuid(string? offered)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        if (offered is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", offered == "x" ? new string('x', 129) : offered);
        }

        var response = await Client.SendAsync(request);

        Guid.TryParse(response.Headers.GetValues("X-Request-Id").Single(), out _).Should().BeTrue();
    }

    [Test]
    public async Task Client_and_server_errors_are_logged_at_warning_and_error()
    {
        await Client.GetAsync("/logging/no/such/route");
        Server.Authority.Failure = new InvalidOperationException("bug");
        await PostAsync("/sign", Fixtures.Text("issued", "sign-request.json"));

        var notFound = (await RequestLinesAsync("/logging/")).Single();
        var failed = (await RequestLinesAsync("/sign ")).Single();

        (notFound.EventId.Id, notFound.Level).Should().Be((3111, LogLevel.Warning));
        (failed.EventId.Id, failed.Level).Should().Be((3112, LogLevel.Error));
        failed.Message.Should().StartWith("POST /sign 500 in ");
    }
}
