namespace Smallstep.Pki.Errors;

/// <summary>
/// What went wrong, independent of transport. Only the edges map a kind: the step API to a status
/// code and step-ca's error body, ACME to an RFC 7807 problem document, SCEP to a failInfo.
/// </summary>
public enum PkiErrorKind
{
    /// <summary>The request is malformed or asks for something invalid (HTTP 400).</summary>
    BadRequest,
    /// <summary>The credential (token, client certificate) was not accepted (HTTP 401).</summary>
    Unauthorized,
    /// <summary>The credential was accepted but the request is not allowed (HTTP 403).</summary>
    Forbidden,
    /// <summary>The requested resource does not exist (HTTP 404).</summary>
    NotFound,
    /// <summary>The operation is not implemented or not enabled in this configuration (HTTP 501).</summary>
    NotImplemented,
    /// <summary>A bug or an unexpected failure of a dependency (HTTP 500).</summary>
    Internal,
    /// <summary>The request conflicts with the current state, e.g. an ACME order that is not ready (HTTP 409, RFC 8555 §7.4).</summary>
    Conflict,
    /// <summary>Too many requests; retry after <see cref="PkiException.RetryAfter"/> (HTTP 429, RFC 8555 §6.6 <c>rateLimited</c>).</summary>
    RateLimited,
}
