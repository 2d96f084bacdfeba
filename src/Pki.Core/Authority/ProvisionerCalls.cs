using System.Net;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Authority;

/// <summary>How every authority reaches a provisioner: route the request, then call it failing closed.</summary>
internal static class ProvisionerCalls
{
    /// <summary>
    /// Finds the provisioner for a request and what it may see of it: by <paramref name="provisionerName"/>
    /// when the caller names one, else by the token (authority/authorize.go <c>authorizeToken</c>: parsed
    /// once here and handed on; tokens minted before the authority started are refused unless
    /// <paramref name="disableIssuedAtCheck"/>, and so are tokens whose <c>sha</c> names no root of
    /// <paramref name="roots"/>), else by the TLS client certificate's issuer.
    /// </summary>
    /// <remarks>The context carries <paramref name="revocations"/> when the authority has them.</remarks>
    /// <exception cref="PkiException">Unauthorized: no credential, a malformed or too old token, or no provisioner for it.</exception>
    public static (IProvisioner Provisioner, AuthorizationContext Context) Route(IProvisionerCatalog catalog, Audiences audiences, AudienceSet operation,
        string? provisionerName, string? rawToken, X509Certificate2? clientCertificate, IPAddress? remoteAddress, DateTimeOffset startTime, bool disableIssuedAtCheck,
        IReadOnlyList<X509Certificate2> roots, Storage.IRevocationStore? revocations = null)
    {
        UnverifiedToken? token = null;
        if (!string.IsNullOrEmpty(rawToken))
        {
            token = UnverifiedToken.Parse(rawToken);
            if (!disableIssuedAtCheck && token.IssuedAt is { } iat && iat < startTime.ToUnixTimeSeconds())
            {
                throw PkiException.Unauthorized("token issued before the bootstrap of certificate authority");
            }
            // Stricter than step-ca: a token bound (sha) to another CA's root is refused, for every operation.
            TokenRootBinding.Require(token.Claims, roots);
        }
        var context = new AuthorizationContext { Token = token, Audiences = operation, ClientCertificate = clientCertificate, RemoteAddress = remoteAddress, Revocations = revocations };
        IProvisioner? provisioner;
        if (!string.IsNullOrEmpty(provisionerName))
        {
            provisioner = catalog.FindByName(provisionerName) ?? throw PkiException.Unauthorized($"provisioner {provisionerName} not found");
        }
        else if (token is not null)
        {
            provisioner = catalog.FindByToken(token, audiences)
                ?? throw PkiException.Unauthorized($"provisioner not found or invalid audience ({string.Join(", ", token.Audience)})");
        }
        else if (clientCertificate is not null)
        {
            provisioner = catalog.FindByClientCertificate(clientCertificate)
                ?? throw PkiException.Unauthorized("no provisioner authorizes requests by this client certificate");
        }
        else
        {
            throw PkiException.Unauthorized("error parsing token: empty or too large");
        }
        return (provisioner, context);
    }

    /// <summary>Fail closed (STYLE.md §4): an unexpected exception in a provisioner is a logged 401.</summary>
    public static async ValueTask<T> GuardAsync<T>(IProvisioner provisioner, Func<ValueTask<T>> call, Action<Exception> logFault)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not PkiException and not OperationCanceledException)
        {
            logFault(e);
            throw PkiException.Unauthorized($"provisioner {provisioner.Name} failed", e);
        }
    }
}
