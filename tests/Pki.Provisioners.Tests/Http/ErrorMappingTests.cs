using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Tests.Http;

/// <summary>Each <see cref="PkiErrorKind"/> becomes step-ca's status and message (errs/error.go); details stay in the log.</summary>
public class ErrorMappingTests : StepApiTestBase
{
    private static string SignRequestJson => Fixtures.Text("issued", "sign-request.json");

    [TestCase(PkiErrorKind.BadRequest, 400, "The request could not be completed: template rendered invalid JSON.")]
    [TestCase(PkiErrorKind.Unauthorized, 401, UnauthorizedMessage)]
    [TestCase(PkiErrorKind.Forbidden, 403, "The request was forbidden by the certificate authority: template rendered invalid JSON.")]
    [TestCase(PkiErrorKind.NotFound, 404, NotFoundMessage)]
    [TestCase(PkiErrorKind.Internal, 500, InternalMessage)]
    [TestCase(PkiErrorKind.NotImplemented, 501, NotImplementedMessage)]
    [TestCase(PkiErrorKind.Conflict, 409, "The request could not be completed: template rendered invalid JSON.")]
    [TestCase(PkiErrorKind.RateLimited, 429, "The request could not be completed: template rendered invalid JSON.")]
    public async Task Every_error_kind_has_step_cas_status_and_message(PkiErrorKind kind, int status, string message)
    {
        Server.Authority.Failure = new PkiException(kind, "template rendered invalid JSON");

        await ShouldBeStepError(await PostAsync("/1.0/sign", SignRequestJson), status, message);

        var logged = Server.Logs.Entries.Single(e => e.EventId.Id is 3100 or 3101);
        logged.Message.Should().Be($"POST /1.0/sign answered {status}: template rendered invalid JSON");
        // 501 is a refusal (feature not built/enabled), logged like the 4xx without a stack trace.
        logged.Level.Should().Be(status is >= 500 and not 501 ? Microsoft.Extensions.Logging.LogLevel.Error : Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Test]
    public async Task A_rate_limit_says_when_to_retry()
    {
        Server.Authority.Failure = PkiException.RateLimited("too many certificates for app.example", TimeSpan.FromSeconds(90.2));

        var response = await PostAsync("/1.0/sign", SignRequestJson);

        ((int)response.StatusCode).Should().Be(429);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(91));
    }

    [Test]
    public async Task Inner_reasons_are_logged_like_wrapped_go_errors()
    {
        Server.Authority.Failure = PkiException.Unauthorized("authority.authorizeToken", new InvalidOperationException("token already used"));

        await PostAsync("/1.0/sign", SignRequestJson);

        Server.Logs.Entries.Should().Contain(e => e.EventId.Id == 3100 && e.Message.EndsWith("401: authority.authorizeToken: token already used", StringComparison.Ordinal));
    }

    [Test]
    public async Task An_unexpected_exception_is_a_500_without_details_and_logged_with_its_stack()
    {
        var bug = new NullReferenceException("secret internal detail");
        Server.Authority.Failure = bug;

        var response = await PostAsync("/1.0/sign", SignRequestJson);

        await ShouldBeStepError(response, 500, InternalMessage);
        var logged = Server.Logs.Entries.Single(e => e.EventId.Id == 3101);
        logged.Exception.Should().BeSameAs(bug);
        logged.Level.Should().Be(Microsoft.Extensions.Logging.LogLevel.Error);
    }
}
