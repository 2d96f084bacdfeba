using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Acme.Http;

/// <summary>
/// Writes RFC 7807 problem documents (<c>application/problem+json</c>) for ACME routes: the RFC 8555
/// §6.7 type from the exception (else from its kind) and step-ca's statuses (reference §1.11). Never a
/// stack trace.
/// </summary>
internal static class AcmeProblemWriter
{
    public static Task WriteAsync(HttpContext http, PkiException error)
    {
        var status = error.Kind switch
        {
            PkiErrorKind.Unauthorized => 401,
            PkiErrorKind.Forbidden => 403,
            PkiErrorKind.NotFound => 404,
            PkiErrorKind.Conflict => 409,
            PkiErrorKind.RateLimited => 429,
            PkiErrorKind.NotImplemented => 501,
            PkiErrorKind.Internal => 500,
            _ => 400,
        };
        var type = error.ProblemType ?? AcmeProblem.UrnPrefix + error.Kind switch
        {
            PkiErrorKind.Unauthorized or PkiErrorKind.Forbidden => "unauthorized",
            PkiErrorKind.RateLimited => "rateLimited",
            PkiErrorKind.Internal => "serverInternal",
            _ => "malformed",
        };
        var detail = status == 500 ? "the server could not process the request" : error.ClientMessage ?? error.Message;
        if (error.RetryAfter is { } retry)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return WriteAsync(http, status, new AcmeProblem(type, detail));
    }

    public static async Task WriteAsync(HttpContext http, int status, AcmeProblem problem)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json";
        await AcmeResponseBody.WriteJsonAsync(http.Response, writer => AcmeViews.Problem(writer, problem), http.RequestAborted).ConfigureAwait(false);
    }
}
