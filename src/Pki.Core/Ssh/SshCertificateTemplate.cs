using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance.Templating;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// An SSH certificate template (a provisioner's <c>options.ssh</c>, else step's default) with the
/// provisioner's <c>templateData</c>. Parsed once (bad templates fail at start-up with name, line
/// and column); rendering is thread-safe.
/// </summary>
/// <remarks>
/// Data as step-ca builds it (authority/provisioner/ssh_options.go <c>CustomSSHTemplateOptions</c>):
/// the provisioner's <see cref="SshTemplateData"/>, the provisioner's <c>templateData</c> members at
/// the top level (they may replace the others, even under the default template), and, for custom
/// templates only, <c>.Insecure.User</c> (the request's <c>templateData</c>). Actions printed inside
/// JSON strings are escaped, so request values can never change the structure of the certificate.
/// </remarks>
public sealed class SshCertificateTemplate
{
    private readonly GoTemplate _template;
    private readonly Dictionary<string, object?> _provisionerData;

    private SshCertificateTemplate(GoTemplate template, JsonElement? templateData, bool isCustom)
    {
        _template = template;
        IsCustom = isCustom;
        _provisionerData = templateData is { ValueKind: JsonValueKind.Object } data
            ? data.EnumerateObject().ToDictionary(p => p.Name, p => TemplateData.FromJson(p.Value), StringComparer.Ordinal)
            : [];
    }

    /// <summary>step's default SSH template (sshutil <c>DefaultTemplate</c>) without provisioner data.</summary>
    public static SshCertificateTemplate Default { get; } = new(GoTemplate.Parse("ssh", SshTemplates.Default, X509CertificateTemplate.Limits), null, isCustom: false);

    /// <summary>True for a provisioner's own template (which alone receives <c>.Insecure.User</c>).</summary>
    public bool IsCustom { get; }

    /// <summary>Parses template text.</summary>
    /// <param name="name">A name for messages.</param>
    /// <param name="text">The template.</param>
    /// <param name="templateData">The provisioner's <c>templateData</c> object, if any.</param>
    /// <param name="isCustom">Whether this is a provisioner's own template.</param>
    /// <returns>The template.</returns>
    /// <exception cref="TemplateException">Bad syntax or an unknown function, with line and column.</exception>
    public static SshCertificateTemplate Parse(string name, string text, JsonElement? templateData = null, bool isCustom = true) =>
        new(GoTemplate.Parse(name, text, X509CertificateTemplate.Limits), templateData, isCustom);

    /// <summary>
    /// The template a provisioner's <c>options.ssh</c> asks for: its <c>template</c> or
    /// <c>templateFile</c>, else the default template with its <c>templateData</c>; null when the
    /// block sets none of the three.
    /// </summary>
    /// <param name="options">The <c>options.ssh</c> block.</param>
    /// <param name="field">Its ca.json path, for messages (<c>authority.provisioners[0].options.ssh</c>).</param>
    /// <param name="resolvePath">Resolves <c>templateFile</c> as the other ca.json paths are.</param>
    /// <returns>The template, or null.</returns>
    /// <exception cref="CaConfigException">The template cannot be read, decoded or parsed.</exception>
    public static SshCertificateTemplate? FromOptions(TemplateOptionsConfig? options, string field, Func<string, string> resolvePath)
    {
        ArgumentNullException.ThrowIfNull(resolvePath);
        if (options is null)
        {
            return null;
        }
        if (!options.HasTemplate)
        {
            return options.TemplateData is { ValueKind: JsonValueKind.Object } ? Parse("ssh", SshTemplates.Default, options.TemplateData, isCustom: false) : null;
        }
        var (member, text) = TemplateOptionsText.Read(options, field, resolvePath, X509CertificateTemplate.Limits);
        try
        {
            return Parse($"{field}.{member}", text, options.TemplateData);
        }
        catch (TemplateException e)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error($"{field}.{member}", e.Message)]);
        }
    }

    /// <summary>
    /// Renders the certificate description: adds the provisioner's <c>templateData</c> and, for a
    /// custom template, the request's <c>templateData</c> (<c>.Insecure.User</c>; a value that is not
    /// a JSON object becomes an empty map, as in step-ca) to <paramref name="data"/>, then renders.
    /// </summary>
    /// <param name="data">The request's template data, built by the provisioner.</param>
    /// <param name="userData">The request's <c>templateData</c>.</param>
    /// <param name="time">The clock for <c>now</c>; the system clock when null.</param>
    /// <returns>The description.</returns>
    /// <exception cref="PkiException">400: <c>fail</c> was called (its message), rendering failed, or the output is not a valid SSH certificate.</exception>
    public SshCertificateDescription Render(SshTemplateData data, JsonElement? userData, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var (key, value) in _provisionerData)
        {
            data.Set(key, value);
        }
        if (IsCustom && userData is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } user)
        {
            data.SetUserData(user.ValueKind == JsonValueKind.Object ? TemplateData.FromJson(user) : new Dictionary<string, object?>());
        }
        string json;
        try
        {
            json = _template.Render(data.ToTemplateData(), time);
        }
        catch (TemplateFailException e)
        {
            throw PkiException.BadRequest(e.FailMessage, e);
        }
        catch (TemplateException e)
        {
            throw PkiException.BadRequest("error applying certificate template", e);
        }
        return SshCertificateDescription.Parse(json);
    }
}
