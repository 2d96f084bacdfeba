using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Recording;
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
        Time = context.Time;
        Type = context.Registration?.Type ?? config.Type;
        ExtensionInfo = new ProvisionerExtensionInfo(context.Registration?.ExtensionTypeCode ?? 0, credentialId);
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

    /// <summary>The clock (token times, renewal windows).</summary>
    protected TimeProvider Time { get; }

    /// <summary>The ca.json entry (or the entry an options source produced).</summary>
    protected ProvisionerConfig Config { get; }

    /// <inheritdoc />
    public string Name => Config.Name;

    /// <inheritdoc />
    public string Type { get; }

    /// <summary>The id step-ca derives for most types (<c>GetID</c>): the lower-cased type, a slash, the name. Types with another rule override it.</summary>
    public virtual string Id => DefaultId(Type, Name);

    /// <summary>step-ca's <c>GetID</c> for most types: the lower-cased <paramref name="type"/>, a slash, the <paramref name="name"/> (e.g. <c>acme/acme</c>).</summary>
    public static string DefaultId(string type, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        return $"{type.ToLowerInvariant()}/{name}";
    }

    /// <inheritdoc />
    public ClaimSet Claims { get; }

    /// <inheritdoc />
    public ProvisionerExtensionInfo ExtensionInfo { get; }

    /// <summary>
    /// The keys requests are routed here by: the audience fragment <c>#</c><see cref="Id"/> (step-ca's
    /// <c>LoadByToken</c> for fragment-routed types). Types add their own (JWK: <c>iss:kid</c>).
    /// </summary>
    public virtual IReadOnlyList<ProvisionerRoutingKey> RoutingKeys => [ProvisionerRoutingKey.AudienceFragment(Id)];

    /// <inheritdoc />
    public virtual ValueTask<SignAuthorization> AuthorizeSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default) =>
        throw Unsupported("sign");

    /// <inheritdoc />
    public virtual ValueTask AuthorizeRenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default) =>
        throw Unsupported("renew");

    /// <inheritdoc />
    public virtual ValueTask<RevokeAuthorization> AuthorizeRevokeAsync(AuthorizationContext context, CancellationToken cancellationToken = default) =>
        throw Unsupported("revoke");

    /// <summary>
    /// Starts a sign plan for what this provisioner vouches for, carrying the entry's certificate
    /// template and name policy; the authority adds the standard stages, and the type adds its own
    /// validators, modifiers and recording steps.
    /// </summary>
    /// <param name="input">The subject, SANs and token the template receives.</param>
    /// <param name="tokenUse">The one-time token to burn with the certificate, if the type has one.</param>
    /// <returns>The plan.</returns>
    protected SignAuthorization CreateSignAuthorization(TemplateInput input, IRecordingStep? tokenUse = null)
    {
        var plan = new SignAuthorization(this, input) { CertificateTemplate = X509Template, NamePolicy = NamePolicy };
        if (tokenUse is not null)
        {
            plan.RecordingSteps.Add(tokenUse);
        }
        return plan;
    }

    /// <summary>
    /// Starts an SSH sign plan (types implementing <see cref="ISshSignProvisioner"/>) with the entry's
    /// SSH template, else step's default, and the entry's name policy; the type then adds its stages.
    /// </summary>
    /// <param name="data">The template data the type built (<c>.Type .KeyID .Principals .Token ...</c>).</param>
    /// <param name="tokenUse">The one-time token to burn with the certificate, if the type has one.</param>
    /// <returns>The plan.</returns>
    protected SshSignAuthorization CreateSshSignAuthorization(Ssh.SshTemplateData data, IRecordingStep? tokenUse = null)
    {
        var plan = new SshSignAuthorization(this, data, SshTemplate ?? Ssh.SshCertificateTemplate.Default) { NamePolicy = NamePolicy };
        if (tokenUse is not null)
        {
            plan.RecordingSteps.Add(tokenUse);
        }
        return plan;
    }

    /// <summary>The refusal of an operation this type does not implement (deny by default).</summary>
    protected virtual PkiException Unsupported(string operation) =>
        PkiException.Unauthorized($"provisioner {Name} of type {Type} does not support {operation}");
}
