using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// A provisioner: a named way of proving who may get a certificate (step-ca
/// <c>authority/provisioner.Interface</c>). Implementations are immutable after construction and
/// thread-safe. Every authorization starts as deny: a method returns only when it builds an
/// explicit allow, and throws <see cref="Errors.PkiException"/> otherwise. How a type lists itself
/// on <c>GET /provisioners</c> is registered beside the type (<see cref="ProvisionerTypeRegistration"/>),
/// not a member of this interface.
/// </summary>
public interface IProvisioner
{
    /// <summary>The provisioner name (<c>name</c> in ca.json).</summary>
    string Name { get; }

    /// <summary>The provisioner type as step-ca spells it (<c>JWK</c>, <c>OIDC</c>, ...); open so third parties add types.</summary>
    string Type { get; }

    /// <summary>
    /// The unique id step-ca derives (<c>GetID</c>): JWK <c>name:kid</c>, X5C <c>x5c/name</c>, ...
    /// Stored in <c>x509_certs_data</c> and used for step-ca's listing order.
    /// </summary>
    string Id { get; }

    /// <summary>The keys requests are routed to this provisioner by; the catalog indexes them.</summary>
    IReadOnlyList<ProvisionerRoutingKey> RoutingKeys { get; }

    /// <summary>The merged claims (provisioner over authority over step-ca's defaults).</summary>
    Configuration.ClaimSet Claims { get; }

    /// <summary>
    /// The type code and credential id written into the provisioner extension
    /// (OID 1.3.6.1.4.1.37476.9000.64.1): e.g. JWK = 1 with the key id.
    /// </summary>
    ProvisionerExtensionInfo ExtensionInfo { get; }

    /// <summary>Authorizes an X.509 sign request (by token, client certificate or transport).</summary>
    ValueTask<SignAuthorization> AuthorizeSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default);

    /// <summary>Authorizes renewal of a certificate this provisioner issued; throws when not allowed.</summary>
    ValueTask AuthorizeRenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default);

    /// <summary>Authorizes a revocation; returns what to record.</summary>
    ValueTask<RevokeAuthorization> AuthorizeRevokeAsync(AuthorizationContext context, CancellationToken cancellationToken = default);
}

/// <summary>The provisioner extension's type code and credential id.</summary>
/// <param name="TypeCode">linkedca type number (JWK 1, OIDC 2, GCP 3, AWS 4, Azure 5, ACME 6, X5C 7, K8sSA 8, SSHPOP 9, SCEP 10, Nebula 11).</param>
/// <param name="CredentialId">JWK kid, OIDC client id, ... or empty.</param>
public sealed record ProvisionerExtensionInfo(int TypeCode, string CredentialId);

/// <summary>What a successful revoke authorization allows.</summary>
/// <param name="ReplayKey">The one-time key to burn (<c>jti</c>), or null for none.</param>
/// <param name="Subject">The token subject: must equal the decimal serial being revoked.</param>
public sealed record RevokeAuthorization(string? ReplayKey, string Subject);
