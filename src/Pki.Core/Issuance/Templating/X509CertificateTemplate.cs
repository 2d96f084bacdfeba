using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>
/// An X.509 certificate template: Go <c>text/template</c> text whose output is step's certificate
/// JSON model, with the provisioner's <c>templateData</c>. Parsed once (bad templates fail at
/// start-up with name, line and column); rendering is thread-safe.
/// </summary>
/// <remarks>
/// Template data as step-ca builds it (authority/provisioner/options.go <c>CustomTemplateOptions</c>):
/// <c>.Subject</c>, <c>.SANs</c>, <c>.Token</c>, the provisioner's <c>templateData</c> members at the top
/// level (they may replace the others), <c>.Insecure.CR</c> (the CSR) and, for custom templates only,
/// <c>.Insecure.User</c> (the request's <c>templateData</c>). Actions printed inside JSON strings are
/// escaped, so request values can never change the structure of the certificate.
/// </remarks>
public sealed class X509CertificateTemplate
{
    /// <summary>The bounds every certificate template renders under.</summary>
    public static TemplateLimits Limits { get; } = TemplateLimits.Default with { EscapeInsideJsonStrings = true };

    private readonly GoTemplate _template;
    private readonly Dictionary<string, object?> _provisionerData;

    private X509CertificateTemplate(GoTemplate template, JsonElement? templateData, bool isCustom)
    {
        _template = template;
        IsCustom = isCustom;
        _provisionerData = templateData is { ValueKind: JsonValueKind.Object } data
            ? data.EnumerateObject().ToDictionary(p => p.Name, p => TemplateData.FromJson(p.Value), StringComparer.Ordinal)
            : [];
    }

    /// <summary>True for a provisioner's own template (which alone receives <c>.Insecure.User</c>).</summary>
    public bool IsCustom { get; }

    /// <summary>The template's name, used in errors.</summary>
    public string Name => _template.Name;

    /// <summary>step's built-in leaf template (x509util <c>DefaultLeafTemplate</c>).</summary>
    public static X509CertificateTemplate Leaf { get; } = new(GoTemplate.Parse("leaf", DefaultX509Templates.Leaf, Limits), null, isCustom: false);

    /// <summary>Parses template text.</summary>
    /// <param name="name">A name for messages.</param>
    /// <param name="text">The template.</param>
    /// <param name="templateData">The provisioner's <c>templateData</c> object, if any.</param>
    /// <param name="isCustom">Whether this is a provisioner's own template.</param>
    /// <returns>The template.</returns>
    /// <exception cref="TemplateException">Bad syntax or an unknown function, with line and column.</exception>
    public static X509CertificateTemplate Parse(string name, string text, JsonElement? templateData = null, bool isCustom = true) =>
        new(GoTemplate.Parse(name, text, Limits), templateData, isCustom);

    /// <summary>
    /// The template a provisioner's <c>options.x509</c> asks for: <c>template</c> (JSON text starting
    /// with <c>{</c>, else base64 of it) or else <c>templateFile</c>; null when neither is set.
    /// </summary>
    /// <param name="options">The <c>options.x509</c> block.</param>
    /// <param name="field">Its ca.json path, for messages (<c>authority.provisioners[0].options.x509</c>).</param>
    /// <param name="resolvePath">Resolves <c>templateFile</c> as the other ca.json paths are.</param>
    /// <returns>The template, or null.</returns>
    /// <exception cref="CaConfigException">The template cannot be read, decoded or parsed.</exception>
    public static X509CertificateTemplate? FromOptions(TemplateOptionsConfig? options, string field, Func<string, string> resolvePath)
    {
        ArgumentNullException.ThrowIfNull(resolvePath);
        if (options is null || !options.HasTemplate)
        {
            return null;
        }
        var (member, text) = TemplateOptionsText.Read(options, field, resolvePath, Limits);
        try
        {
            return Parse($"{field}.{member}", text, options.TemplateData);
        }
        catch (TemplateException e)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error($"{field}.{member}", e.Message)]);
        }
    }

    /// <summary>Renders the certificate description for a request.</summary>
    /// <param name="input">What the provisioner vouches for (subject, SANs, token).</param>
    /// <param name="csr">The request; its key is always the certificate's key.</param>
    /// <param name="userData">The request's <c>templateData</c>.</param>
    /// <param name="time">The clock for <c>now</c> and the local time zone; the system clock when null.</param>
    /// <returns>The description.</returns>
    /// <exception cref="PkiException">400: <c>fail</c> was called (its message), rendering failed, or the output is not a valid certificate.</exception>
    public X509CertificateDescription Render(TemplateInput input, CertificationRequest csr, JsonElement? userData, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(csr);
        return Render(input, X509TemplateValues.CertificateRequest(csr), csr.SubjectPublicKeyInfo, csr.PublicKey, userData, time);
    }

    /// <summary>
    /// Renders a description for a key without a CSR (a CA certificate made by <c>init</c>):
    /// <c>.Insecure.CR</c> holds only the subject and the key, as x509util <c>NewCertificateFromX509</c> builds it.
    /// </summary>
    /// <param name="input">The subject (and SANs) the certificate is for.</param>
    /// <param name="subjectPublicKeyInfo">The certificate's key, DER.</param>
    /// <param name="time">The clock for <c>now</c>; the system clock when null.</param>
    /// <returns>The description.</returns>
    /// <exception cref="PkiException">400 as for <see cref="Render(TemplateInput, CertificationRequest, JsonElement?, TimeProvider?)"/>.</exception>
    public X509CertificateDescription RenderForKey(TemplateInput input, ReadOnlyMemory<byte> subjectPublicKeyInfo, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var key = SubjectPublicKey.Decode(subjectPublicKeyInfo);
        return Render(input, X509TemplateValues.KeyRequest(input.Subject, key), subjectPublicKeyInfo, key, null, time);
    }

    private X509CertificateDescription Render(TemplateInput input, Templates.TemplateStruct request, ReadOnlyMemory<byte> spki, SubjectPublicKey key, JsonElement? userData, TimeProvider? time)
    {
        string json;
        try
        {
            json = _template.Render(BuildData(input, request, userData), time);
        }
        catch (TemplateFailException e)
        {
            throw PkiException.BadRequest(e.FailMessage, e);
        }
        catch (TemplateException e)
        {
            throw PkiException.BadRequest("error applying certificate template", e);
        }
        return CertificateTemplateReader.Read(json, spki, key);
    }

    private Dictionary<string, object?> BuildData(TemplateInput input, Templates.TemplateStruct request, JsonElement? userData)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Subject"] = X509TemplateValues.Subject(input.Subject),
            ["SANs"] = X509TemplateValues.Sans(input.Sans),
        };
        if (input.Token is not null)
        {
            data["Token"] = input.Token;
        }
        if (input.AuthorizationCertificate is not null)
        {
            data["AuthorizationCrt"] = input.AuthorizationCertificate;
        }
        foreach (var (key, value) in _provisionerData)
        {
            data[key] = value;
        }
        var insecure = new Dictionary<string, object?>(StringComparer.Ordinal) { ["CR"] = request };
        if (IsCustom && userData is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } user)
        {
            // options.go: request data that is not a JSON object becomes an empty map.
            insecure["User"] = user.ValueKind == JsonValueKind.Object ? TemplateData.FromJson(user) : new Dictionary<string, object?>();
        }
        data["Insecure"] = insecure;
        return data;
    }
}
