using Microsoft.AspNetCore.Http;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// Framing Kestrel lets through but a CA should not: a request with both <c>Content-Length</c>
/// and <c>Transfer-Encoding</c> is the request-smuggling shape RFC 9112 §6.3 allows a server to
/// reject, and proxies in front of the CA may frame it differently than Kestrel. Kestrel itself
/// refuses duplicate or conflicting lengths, bad chunk sizes, and unknown transfer codings (400).
/// </summary>
internal static class RequestFraming
{
    // Kestrel drops Content-Length when Transfer-Encoding is present (RFC 9112 §6.1) and keeps
    // the value under this name, so the combination stays detectable.
    private const string MovedContentLength = "X-Content-Length";

    /// <summary>Throws 400 for a request carrying both framing headers.</summary>
    public static void Check(HttpRequest request)
    {
        if (request.Headers.TransferEncoding.Count > 0 && (request.Headers.ContainsKey("Content-Length") || request.Headers.ContainsKey(MovedContentLength)))
        {
            throw PkiException.BadRequest("a request must not carry both Content-Length and Transfer-Encoding");
        }
    }
}
