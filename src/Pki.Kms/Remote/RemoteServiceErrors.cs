using System.Net;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Remote;

/// <summary>
/// Turns a cloud KMS's failure into a <see cref="PkiException"/> whose kind follows the HTTP status
/// and whose message gives the service's own reason (no key, no permission, ...), prefixed with the
/// service and operation as step's errors are (<c>cloudKMS GetPublicKey failed: ...</c>).
/// </summary>
internal static class RemoteServiceErrors
{
    /// <summary>The exception for an HTTP error answer.</summary>
    public static PkiException FromStatus(string operation, HttpStatusCode status, string reason)
    {
        var message = $"{operation} failed: {reason}";
        return status switch
        {
            HttpStatusCode.BadRequest => PkiException.BadRequest(message),
            HttpStatusCode.Unauthorized => PkiException.Unauthorized(message),
            HttpStatusCode.Forbidden => PkiException.Forbidden(message),
            HttpStatusCode.NotFound => PkiException.NotFound(message),
            HttpStatusCode.Conflict => PkiException.Conflict(message),
            HttpStatusCode.TooManyRequests => PkiException.RateLimited(message),
            _ => PkiException.Internal($"{message} (HTTP {(int)status})"),
        };
    }

    /// <summary>The exception for a service that could not be reached (DNS, TCP, TLS, timeout).</summary>
    public static PkiException Unreachable(string operation, Uri endpoint, Exception inner) =>
        PkiException.Internal($"{operation} failed: {endpoint.GetLeftPart(UriPartial.Authority)} is unreachable: {inner.Message}", inner);
}
