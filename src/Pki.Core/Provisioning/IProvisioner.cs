using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// A provisioner: a named way of proving who may get a certificate (step-ca
/// <c>authority/provisioner.Interface</c>). Implementations are immutable after construction and
/// thread-safe. Every authorization starts as deny: a method returns only when it builds an
/// explicit allow, and throws <see cref="Errors.PkiException"/> otherwise.
/// </summary>
public interface IProvisioner
{
    /// <summary>The provisioner name (<c>name</c> in ca.json).</summary>
    string Name { get; }

    /// <summary>The provisioner type as step-ca spells it (<c>JWK</c>, <c>OIDC</c>, ...); open so third parties add types.</summary>
    string Type { get; }

    /// <summary>
    /// The unique id step-ca derives (<c>GetID</c>/<c>GetIDForToken</c>): JWK <c>name:kid</c>,
    /// X5C <c>x5c/name</c>, ... Used to route tokens and stored in <c>x509_certs_data</c>.
    /// </summary>
    string Id { get; }

    /// <summary>The merged claims (provisioner over authority over step-ca's defaults).</summary>
    Configuration.ClaimSet Claims { get; }

    /// <summary>
    /// The type code and credential id written into the provisioner extension
    /// (OID 1.3.6.1.4.1.37476.9000.64.1): e.g. JWK = 1 with the key id.
    /// </summary>
    ProvisionerExtensionInfo ExtensionInfo { get; }

    /// <summary>Writes this provisioner as <c>GET /provisioners</c> lists it (step-ca's re-marshalled ca.json entry).</summary>
    void WriteListingJson(Utf8JsonWriter writer);

    /// <summary>Authorizes an X.509 sign request carrying a one-time token.</summary>
    ValueTask<SignAuthorization> AuthorizeSignAsync(TokenContext token, CancellationToken cancellationToken = default);

    /// <summary>Authorizes renewal of a certificate this provisioner issued; throws when not allowed.</summary>
    ValueTask AuthorizeRenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default);

    /// <summary>Authorizes a revocation with a one-time token; returns what to record.</summary>
    ValueTask<RevokeAuthorization> AuthorizeRevokeAsync(TokenContext token, CancellationToken cancellationToken = default);
}

/// <summary>The provisioner extension's type code and credential id.</summary>
/// <param name="TypeCode">linkedca type number (JWK 1, OIDC 2, GCP 3, AWS 4, Azure 5, ACME 6, X5C 7, K8sSA 8, SSHPOP 9, SCEP 10, Nebula 11).</param>
/// <param name="CredentialId">JWK kid, OIDC client id, ... or empty.</param>
public sealed record ProvisionerExtensionInfo(int TypeCode, string CredentialId);

/// <summary>A token presented to a provisioner, with what the authority knows of the request.</summary>
/// <param name="Token">The token, parsed but not yet verified.</param>
/// <param name="Audiences">The audiences the operation accepts.</param>
public sealed record TokenContext(UnverifiedToken Token, AudienceSet Audiences);

/// <summary>What a successful revoke authorization allows.</summary>
/// <param name="ReplayKey">The one-time key to burn (<c>jti</c>), or null for none.</param>
/// <param name="Subject">The token subject: must equal the decimal serial being revoked.</param>
public sealed record RevokeAuthorization(string? ReplayKey, string Subject);
