using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Templating;
using Smallstep.Pki.Policy;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Base for provisioners built from a ca.json entry: name, type, id, merged claims and the
/// <c>GET /provisioners</c> listing come from the entry, and every operation is denied (401)
/// unless the type overrides it. Third-party provisioner types derive from this.
/// </summary>
public abstract class Provisioner : IProvisioner
{
    /// <summary>Initializes the common parts from the ca.json entry; relative template files resolve against the working directory.</summary>
    /// <param name="config">The entry.</param>
    /// <param name="claims">The merged claims.</param>
    /// <param name="credentialId">The credential id written into the provisioner extension.</param>
    /// <exception cref="CaConfigException">The entry's certificate template cannot be read or parsed.</exception>
    protected Provisioner(ProvisionerConfig config, ClaimSet claims, string credentialId = "")
        : this(config, new ProvisionerBuildContext(claims, $"provisioner \"{config.Name}\"", TimeProvider.System), credentialId)
    {
    }

    /// <summary>Initializes the common parts from the ca.json entry and what the catalog builder provides.</summary>
    /// <param name="config">The entry.</param>
    /// <param name="context">Merged claims, the entry's ca.json path and path resolution.</param>
    /// <param name="credentialId">The credential id written into the provisioner extension.</param>
    /// <exception cref="CaConfigException">The entry's certificate template cannot be read or parsed.</exception>
    protected Provisioner(ProvisionerConfig config, ProvisionerBuildContext context, string credentialId = "")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        Config = config;
        Claims = context.Claims;
        Type = ProvisionerTypes.Canonical(config.Type);
        Id = ProvisionerTypes.IdOf(config);
        ExtensionInfo = new ProvisionerExtensionInfo(ProvisionerTypes.Code(config.Type), credentialId);
        X509Template = X509CertificateTemplate.FromOptions(config.Options?.X509, $"{context.FieldPath}.options.x509", context.ResolvePath ?? Path.GetFullPath);
        SshTemplate = Ssh.SshCertificateTemplate.FromOptions(config.Options?.Ssh, $"{context.FieldPath}.options.ssh", context.ResolvePath ?? Path.GetFullPath);
        // Beyond step-ca: a provisioner's ca.json entry may carry its own "policy" (step-ca reads
        // provisioner policies only from its admin database).
        NamePolicy = config.Json.ValueKind == JsonValueKind.Object && config.Json.TryGetProperty("policy", out var policy)
            ? NamePolicy.Parse(policy, $"{context.FieldPath}.policy", NamePolicyScope.Provisioner) is { IsEmpty: false } parsed ? parsed : null
            : null;
    }

    /// <summary>The entry's <c>options.x509</c> template, or null for step's default leaf template.</summary>
    protected X509CertificateTemplate? X509Template { get; }

    /// <summary>The entry's <c>options.ssh</c> template (step's default with the entry's <c>templateData</c> when only data is given), or null without <c>options.ssh</c>.</summary>
    protected Ssh.SshCertificateTemplate? SshTemplate { get; }

    /// <summary>The entry's own name <c>policy</c>, or null; checked in addition to the authority's.</summary>
    protected NamePolicy? NamePolicy { get; }

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

    /// <summary>
    /// Starts a sign plan for what this provisioner vouches for, carrying the entry's certificate
    /// template; the type then adds its validators and modifiers.
    /// </summary>
    /// <param name="input">The subject, SANs and token the template receives.</param>
    /// <param name="replayKey">The one-time key to burn (<c>jti</c>), if the type has one.</param>
    /// <returns>The plan.</returns>
    protected SignAuthorization CreateSignAuthorization(TemplateInput input, string? replayKey = null) =>
        new(this, input) { CertificateTemplate = X509Template, NamePolicy = NamePolicy, ReplayKey = replayKey };

    /// <summary>
    /// Starts an SSH sign plan (types implementing <see cref="ISshSignProvisioner"/>) with the entry's
    /// SSH template, else step's default, and the entry's name policy; the type then adds its stages.
    /// </summary>
    /// <param name="data">The template data the type built (<c>.Type .KeyID .Principals .Token ...</c>).</param>
    /// <param name="replayKey">The one-time key to burn (<c>jti</c>), if the type has one.</param>
    /// <returns>The plan.</returns>
    protected SshSignAuthorization CreateSshSignAuthorization(Ssh.SshTemplateData data, string? replayKey = null) =>
        new(this, data, SshTemplate ?? Ssh.SshCertificateTemplate.Default) { NamePolicy = NamePolicy, ReplayKey = replayKey };

    /// <summary>The refusal of an operation this type does not implement (deny by default).</summary>
    protected virtual PkiException Unsupported(string operation) =>
        PkiException.Unauthorized($"provisioner {Name} of type {Type} does not support {operation}");
}
