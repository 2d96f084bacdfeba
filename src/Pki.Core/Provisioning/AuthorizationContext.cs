using System.Net;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// What the authority knows of a request when a provisioner authorizes it. A token is one way to
/// authorize; the TLS client certificate, the transport (an ACME account, a SCEP transaction) or
/// the in-process caller itself are others, so every member is optional. Immutable.
/// </summary>
public sealed record AuthorizationContext
{
    /// <summary>The token, parsed once by the authority but not verified, or null when the request has none.</summary>
    public UnverifiedToken? Token { get; init; }

    /// <summary>The audiences the operation accepts (from ca.json <c>dnsNames</c>).</summary>
    public required AudienceSet Audiences { get; init; }

    /// <summary>
    /// The certificate the client presented in the TLS handshake, or null. It chained to the CA's
    /// roots when the step API received it, but a provisioner that trusts other roots must verify it.
    /// </summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The authority's X.509 revocations, for provisioners whose credential is a certificate this CA
    /// may have revoked (the leaf of an X5C token); null when the caller has none to offer.
    /// </summary>
    public Storage.IRevocationStore? Revocations { get; init; }

    /// <summary>The client's address as the transport saw it, or null (in-process callers).</summary>
    public IPAddress? RemoteAddress { get; init; }

    /// <summary>
    /// The SSH CA keys certificates presented to SSH operations must be signed by (the signing keys
    /// and the non-federated <c>ssh.keys</c>, step-ca's <c>SSHKeys</c>); set by the SSH authority,
    /// null elsewhere.
    /// </summary>
    public Authority.SshKeySet? SshCaKeys { get; init; }

    /// <summary>The token, or a 401 when the request carries none (for token-only provisioner types).</summary>
    /// <exception cref="PkiException">Unauthorized: no token.</exception>
    public UnverifiedToken RequireToken() => Token ?? throw PkiException.Unauthorized("missing token");
}
