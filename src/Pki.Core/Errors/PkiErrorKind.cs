namespace Smallstep.Pki.Errors;

/// <summary>
/// What went wrong, independent of transport. Only the HTTP edge (<c>*.Http</c> namespaces)
/// maps a kind to a status code and a step-ca error body.
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
}
