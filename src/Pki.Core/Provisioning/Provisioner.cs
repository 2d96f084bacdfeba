using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Base for provisioners built from a ca.json entry: name, type, id, merged claims and the
/// <c>GET /provisioners</c> listing come from the entry, and every operation is denied (401)
/// unless the type overrides it. Third-party provisioner types derive from this.
/// </summary>
public abstract class Provisioner : IProvisioner
{
    /// <summary>Initializes the common parts from the ca.json entry.</summary>
    /// <param name="config">The entry.</param>
    /// <param name="claims">The merged claims.</param>
    /// <param name="credentialId">The credential id written into the provisioner extension.</param>
    protected Provisioner(ProvisionerConfig config, ClaimSet claims, string credentialId = "")
    {
        Config = config;
        Claims = claims;
        Type = ProvisionerTypes.Canonical(config.Type);
        Id = ProvisionerTypes.IdOf(config);
        ExtensionInfo = new ProvisionerExtensionInfo(ProvisionerTypes.Code(config.Type), credentialId);
    }

    /// <summary>The ca.json entry.</summary>
    protected ProvisionerConfig Config { get; }

    /// <summary>
    /// The members after <c>type</c> and <c>name</c> in the order step-ca's Go struct marshals them;
    /// null lists every member of the entry in its original order.
    /// </summary>
    protected virtual IReadOnlyList<string>? ListingOrder => null;

    /// <inheritdoc />
    public string Name => Config.Name;

    /// <inheritdoc />
    public string Type { get; }

    /// <inheritdoc />
    public virtual string Id { get; }

    /// <inheritdoc />
    public ClaimSet Claims { get; }

    /// <inheritdoc />
    public ProvisionerExtensionInfo ExtensionInfo { get; }

    /// <inheritdoc />
    public void WriteListingJson(Utf8JsonWriter writer) =>
        ProvisionerListing.Write(writer, Config, Type, ListingOrder ?? [], knownMembersOnly: ListingOrder is not null);

    /// <inheritdoc />
    public virtual ValueTask<SignAuthorization> AuthorizeSignAsync(TokenContext token, CancellationToken cancellationToken = default) =>
        throw Unsupported("sign");

    /// <inheritdoc />
    public virtual ValueTask AuthorizeRenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default) =>
        throw Unsupported("renew");

    /// <inheritdoc />
    public virtual ValueTask<RevokeAuthorization> AuthorizeRevokeAsync(TokenContext token, CancellationToken cancellationToken = default) =>
        throw Unsupported("revoke");

    /// <summary>The refusal of an operation this type does not implement (deny by default).</summary>
    protected virtual PkiException Unsupported(string operation) =>
        PkiException.Unauthorized($"provisioner {Name} of type {Type} does not support {operation}");
}
