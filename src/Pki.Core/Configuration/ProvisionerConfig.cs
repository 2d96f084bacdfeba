using System.Text.Json;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// One entry of <c>authority.provisioners</c>: the members every provisioner type shares, plus the
/// whole original object (<see cref="Json"/>) from which each type reads its own members.
/// </summary>
/// <remarks>
/// Immutable and built only from JSON, so <see cref="Json"/> is always the source of the typed
/// members; the ca.json writer writes <see cref="Json"/> back unchanged.
/// </remarks>
public sealed class ProvisionerConfig
{
    private ProvisionerConfig(JsonElement json, string type, string name, ClaimsConfig? claims, ProvisionerOptionsConfig? options)
    {
        Json = json;
        Type = type;
        Name = name;
        Claims = claims;
        Options = options;
    }

    /// <summary><c>type</c> as written (<c>JWK</c>, <c>ACME</c>, ...); compare with <see cref="IsType"/>.</summary>
    public string Type { get; }

    /// <summary><c>name</c>: unique among the provisioners (case-sensitive, as in step-ca).</summary>
    public string Name { get; }

    /// <summary><c>claims</c>: this provisioner's overrides of the authority claims.</summary>
    public ClaimsConfig? Claims { get; }

    /// <summary><c>options</c>: certificate templates and webhooks.</summary>
    public ProvisionerOptionsConfig? Options { get; }

    /// <summary>The provisioner object exactly as read (a detached copy).</summary>
    public JsonElement Json { get; }

    /// <summary>True when <see cref="Type"/> equals <paramref name="type"/> ignoring case (step-ca dispatches on the lower-cased type).</summary>
    public bool IsType(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Builds a provisioner from its JSON object (for example one made by <c>init</c> or the admin
    /// API). Throws <see cref="CaConfigException"/> listing every problem in the common members.
    /// </summary>
    public static ProvisionerConfig FromJson(JsonElement json) =>
        ConfigDocument.Read(json, "provisioner", Read, warnings: null);

    internal static ProvisionerConfig Read(ConfigObjectReader r)
    {
        var type = r.String("type") ?? string.Empty;
        var name = r.String("name") ?? string.Empty;
        var claims = r.Object("claims", ClaimsConfig.Read);
        var options = r.Object("options", ProvisionerOptionsConfig.Read);
        // The remaining members belong to the provisioner type; they are in Json, not unknown.
        var json = r.Element;
        return new ProvisionerConfig(json, type, name, claims, options);
    }
}

/// <summary>The provisioner <c>options</c> block (authority/provisioner/options.go <c>Options</c>).</summary>
public sealed record ProvisionerOptionsConfig
{
    /// <summary><c>x509</c>: X.509 certificate template.</summary>
    public TemplateOptionsConfig? X509 { get; init; }

    /// <summary><c>ssh</c>: SSH certificate template.</summary>
    public TemplateOptionsConfig? Ssh { get; init; }

    /// <summary><c>webhooks</c>: an array, kept as JSON (secrets cannot be set from ca.json).</summary>
    public JsonElement? Webhooks { get; init; }

    /// <summary><c>wire</c>: ACME Wire integration options, kept as JSON.</summary>
    public JsonElement? Wire { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static ProvisionerOptionsConfig Read(ConfigObjectReader r) => new()
    {
        X509 = r.Object("x509", TemplateOptionsConfig.Read),
        Ssh = r.Object("ssh", TemplateOptionsConfig.Read),
        Webhooks = r.Raw("webhooks"),
        Wire = r.Raw("wire"),
        ExtensionData = r.Remaining(),
    };
}

/// <summary>
/// The <c>options.x509</c> or <c>options.ssh</c> block of a provisioner
/// (authority/provisioner/options.go <c>X509Options</c>, ssh_options.go <c>SSHOptions</c>).
/// </summary>
public sealed record TemplateOptionsConfig
{
    /// <summary><c>template</c>: inline template JSON text, or base64 of it.</summary>
    public string? Template { get; init; }

    /// <summary><c>templateFile</c>: template file, resolved like <c>step.Abs</c> (relative to STEPPATH).</summary>
    public string? TemplateFile { get; init; }

    /// <summary><c>templateData</c>: variables merged into the template data (JSON).</summary>
    public JsonElement? TemplateData { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    /// <summary>True when a custom template (inline or file) is configured.</summary>
    public bool HasTemplate => !string.IsNullOrEmpty(Template) || !string.IsNullOrEmpty(TemplateFile);

    internal static TemplateOptionsConfig Read(ConfigObjectReader r) => new()
    {
        Template = r.String("template"),
        TemplateFile = r.String("templateFile"),
        TemplateData = r.Raw("templateData"),
        ExtensionData = r.Remaining(),
    };
}
