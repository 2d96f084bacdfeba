using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// Turns the bearer token of <c>POST /renew</c> into the certificate to renew, for clients that
/// cannot present the certificate over mutual TLS (step-ca <c>Authority.AuthorizeRenewToken</c>, an
/// <c>x5cInsecure</c> JWT; see shared/reference/tokens.md §6). Optional: when no implementation is
/// registered, a renew request without a client certificate gets 400 <c>missing client certificate</c>.
/// Implementations are thread-safe, verify the token completely (signature by the certificate's key,
/// chain to the CA, audience, replay) and fail closed.
/// </summary>
public interface IRenewTokenAuthorizer
{
    /// <summary>Verifies <paramref name="token"/> and returns the certificate it proves possession of.</summary>
    /// <param name="token">The text after <c>Authorization: Bearer </c>.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The certificate to renew.</returns>
    /// <exception cref="Smallstep.Pki.Errors.PkiException">The token is rejected (normally <see cref="Smallstep.Pki.Errors.PkiErrorKind.Unauthorized"/>).</exception>
    ValueTask<X509Certificate2> AuthorizeRenewTokenAsync(string token, CancellationToken cancellationToken = default);
}
