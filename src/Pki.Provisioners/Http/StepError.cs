using System.Text;
using Microsoft.AspNetCore.Http;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// The one mapping from failures to step-ca's CA-API error body <c>{"status":N,"message":"..."}</c>
/// (errs/error.go). 400 and 403 show the specific reason in step-ca's sentence
/// (<c>formatMessage</c>); 401, 404, 500 and 501 show step-ca's generic sentence and keep the reason
/// for the log. Any exception that is not a <see cref="PkiException"/> is a bug: 500.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Message">What the client sees.</param>
internal sealed record StepError(int Status, string Message)
{
    // errs/error.go: BadRequestPrefix, ForbiddenPrefix and the *DefaultMsg sentences.
    private const string CouldNotComplete = "The request could not be completed: ";
    private const string SeeLogs = "Please see the certificate authority logs for more info.";
    private const string UnauthorizedMessage = "The request lacked necessary authorization to be completed. " + SeeLogs;
    private const string NotFoundMessage = "The requested resource could not be found. " + SeeLogs;
    private const string InternalMessage = "The certificate authority encountered an Internal Server Error. " + SeeLogs;
    private const string NotImplementedMessage = "The requested method is not implemented by the certificate authority. " + SeeLogs;

    /// <summary>The error a client sees for <paramref name="exception"/>.</summary>
    public static StepError From(Exception exception) => exception switch
    {
        PkiException { Kind: PkiErrorKind.BadRequest or PkiErrorKind.Forbidden, ClientMessage: { } exact } e => new(e.Kind == PkiErrorKind.BadRequest ? 400 : 403, exact),
        PkiException { Kind: PkiErrorKind.BadRequest } e => new(400, CouldNotComplete + e.Message + "."),
        PkiException { Kind: PkiErrorKind.Forbidden } e => new(403, "The request was forbidden by the certificate authority: " + e.Message + "."),
        PkiException { Kind: PkiErrorKind.Unauthorized } => new(401, UnauthorizedMessage),
        PkiException { Kind: PkiErrorKind.NotFound } => new(404, NotFoundMessage),
        PkiException { Kind: PkiErrorKind.NotImplemented } => new(501, NotImplementedMessage),
        // Kinds step-ca's CA API never produces: the HTTP statuses they mean, with the reason.
        PkiException { Kind: PkiErrorKind.Conflict } e => new(409, CouldNotComplete + e.Message + "."),
        PkiException { Kind: PkiErrorKind.RateLimited } e => new(429, CouldNotComplete + e.Message + "."),
        RequestBodyTooLargeException e => new(413, CouldNotComplete + e.Message + "."),
        // Kestrel's own limits and malformed framing (e.g. a body above KestrelServerLimits.MaxRequestBodySize).
        BadHttpRequestException { StatusCode: 413 } => new(413, CouldNotComplete + "request body is larger than the server accepts."),
        BadHttpRequestException e => new(e.StatusCode, CouldNotComplete + "error reading request body."),
        _ => new(500, InternalMessage),
    };

    /// <summary>
    /// The reason to log: the message and the messages of its inner exceptions, joined as Go's
    /// wrapped errors print (<c>error decoding json: unexpected EOF</c>).
    /// </summary>
    public static string Reason(Exception exception)
    {
        var reason = new StringBuilder(exception.Message);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            reason.Append(": ").Append(inner.Message);
        }
        return reason.ToString();
    }
}
