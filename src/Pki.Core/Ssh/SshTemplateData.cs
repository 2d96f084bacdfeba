using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// The data an SSH certificate template sees (smallstep/crypto <c>sshutil/templates.go</c>):
/// <c>.Type .KeyID .Principals .Extensions .CriticalOptions .Token .Insecure.CR .Insecure.User
/// .AuthorizationCrt .Webhooks</c> plus any provisioner <c>templateData</c> keys at the top level.
/// A mutable builder; <see cref="ToTemplateData"/> gives the map to pass to
/// <see cref="GoTemplate.Render"/>. Not thread-safe.
/// </summary>
public sealed class SshTemplateData
{
    private readonly Dictionary<string, object?> data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> insecure = new(StringComparer.Ordinal);

    /// <summary>
    /// step's <c>CreateTemplateData</c>: type (<c>"user"</c>/<c>"host"</c>), key id, principals and the
    /// default extensions of the type (user: the five <c>permit-*</c>; host: none).
    /// </summary>
    public SshTemplateData(SshCertificateType type, string keyId, IEnumerable<string> principals)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(principals);
        data["Type"] = TypeName(type);
        data["KeyID"] = keyId;
        data["Principals"] = principals.Cast<object?>().ToList();
        data["Extensions"] = DefaultExtensions(type);
    }

    /// <summary>The extensions step gives a certificate type by default (sshutil <c>DefaultExtensions</c>); null for host certificates.</summary>
    public static Dictionary<string, object?>? DefaultExtensions(SshCertificateType type) => type == SshCertificateType.User
        ? new(StringComparer.Ordinal)
        {
            ["permit-X11-forwarding"] = "",
            ["permit-agent-forwarding"] = "",
            ["permit-port-forwarding"] = "",
            ["permit-pty"] = "",
            ["permit-user-rc"] = "",
        }
        : null;

    /// <summary>Adds an extension to <c>.Extensions</c>.</summary>
    public SshTemplateData AddExtension(string name, string value)
    {
        Map("Extensions")[name] = value;
        return this;
    }

    /// <summary>Adds a critical option to <c>.CriticalOptions</c> (e.g. <c>force-command</c> for add-user certificates).</summary>
    public SshTemplateData AddCriticalOption(string name, string value)
    {
        Map("CriticalOptions")[name] = value;
        return this;
    }

    /// <summary>Sets <c>.Token</c>: the token's claims.</summary>
    public SshTemplateData SetToken(object? claims) => Set("Token", claims);

    /// <summary>Sets <c>.Insecure.CR</c>: what the client asked for, unverified (<c>Type KeyID Principals Key</c>).</summary>
    public SshTemplateData SetCertificateRequest(SshCertificateType type, string keyId, IEnumerable<string> principals, object? key = null)
    {
        insecure["CR"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Type"] = TypeName(type),
            ["KeyID"] = keyId,
            ["Principals"] = principals.Cast<object?>().ToList(),
            ["Key"] = key,
        };
        data["Insecure"] = insecure;
        return this;
    }

    /// <summary>
    /// Sets <c>.Insecure.User</c>: the request's <c>templateData</c>. step fills it only when the
    /// provisioner has a custom template.
    /// </summary>
    public SshTemplateData SetUserData(object? userData)
    {
        insecure["User"] = userData;
        data["Insecure"] = insecure;
        return this;
    }

    /// <summary>Sets <c>.AuthorizationCrt</c> (the X5C leaf, for example).</summary>
    public SshTemplateData SetAuthorizationCertificate(object? certificate) => Set("AuthorizationCrt", certificate);

    /// <summary>Sets <c>.Webhooks.&lt;name&gt;</c>: what an enriching webhook returned.</summary>
    public SshTemplateData SetWebhook(string name, object? response)
    {
        Map("Webhooks")[name] = response;
        return this;
    }

    /// <summary>Sets any top-level key (provisioner <c>templateData</c> entries are merged this way).</summary>
    public SshTemplateData Set(string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        data[key] = value;
        return this;
    }

    /// <summary>The data as template input: a deep copy, so later changes to this builder do not affect it.</summary>
    public IReadOnlyDictionary<string, object?> ToTemplateData() =>
        (IReadOnlyDictionary<string, object?>)TemplateData.Normalize(data)!;

    private Dictionary<string, object?> Map(string key)
    {
        if (data.TryGetValue(key, out var existing) && existing is Dictionary<string, object?> map)
        {
            return map;
        }

        map = new Dictionary<string, object?>(StringComparer.Ordinal);
        data[key] = map;
        return map;
    }

    private static string TypeName(SshCertificateType type) => type switch
    {
        SshCertificateType.User => "user",
        SshCertificateType.Host => "host",
        _ => "",
    };
}
