using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// The ca.json <c>authority</c> block (authority/config/config.go <c>AuthConfig</c>, with the
/// registration-authority members of cas/apiv1/options.go <c>Options</c> embedded in it).
/// Absent members stay null; the <c>Effective*</c> members apply step-ca's defaults.
/// </summary>
public sealed record AuthorityConfig
{
    /// <summary>step-ca's default <c>backdate</c>.</summary>
    public static TimeSpan DefaultBackdate { get; } = TimeSpan.FromMinutes(1);

    /// <summary><c>type</c>: the certificate authority service; empty or <c>softcas</c> = this CA signs itself, else an RA (<c>stepcas</c>, <c>cloudcas</c>, <c>vaultcas</c>).</summary>
    public string? Type { get; init; }

    /// <summary><c>certificateAuthority</c>: upstream CA URL or resource name (RA).</summary>
    public string? CertificateAuthority { get; init; }

    /// <summary><c>certificateAuthorityFingerprint</c>: upstream root fingerprint (stepcas).</summary>
    public string? CertificateAuthorityFingerprint { get; init; }

    /// <summary><c>certificateIssuer</c>: how to authenticate upstream (stepcas).</summary>
    public CertificateIssuerConfig? CertificateIssuer { get; init; }

    /// <summary><c>credentialsFile</c>: cloud credentials (cloudcas).</summary>
    public string? CredentialsFile { get; init; }

    /// <summary><c>config</c>: CAS-specific settings, kept as JSON (vaultcas and others).</summary>
    public JsonElement? CasConfig { get; init; }

    /// <summary><c>authorityId</c> (linked and hosted deployments).</summary>
    public string? AuthorityId { get; init; }

    /// <summary><c>deploymentType</c>: <c>standalone</c>, <c>linked</c> or <c>hosted</c>.</summary>
    public string? DeploymentType { get; init; }

    /// <summary><c>provisioners</c>, in file order (empty when absent).</summary>
    public IReadOnlyList<ProvisionerConfig> Provisioners { get; init; } = [];

    /// <summary><c>template</c>: default subject attributes.</summary>
    public SubjectDefaultsConfig? Template { get; init; }

    /// <summary><c>claims</c>: authority-wide claims over step-ca's built-in ones.</summary>
    public ClaimsConfig? Claims { get; init; }

    /// <summary><c>policy</c>: authority-wide name policy.</summary>
    public PolicyConfig? Policy { get; init; }

    /// <summary><c>disableIssuedAtCheck</c>: accept tokens issued before the CA started.</summary>
    public bool DisableIssuedAtCheck { get; init; }

    /// <summary><c>backdate</c> as configured; see <see cref="EffectiveBackdate"/>.</summary>
    public TimeSpan? Backdate { get; init; }

    /// <summary><c>enableAdmin</c>: provisioners and admins live in the database (remote management).</summary>
    public bool EnableAdmin { get; init; }

    /// <summary><c>disableGetSSHHosts</c>: turn off <c>GET /ssh/hosts</c>.</summary>
    public bool DisableGetSshHosts { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    /// <summary>How far <c>notBefore</c> is moved back when the client does not set it (default 1m).</summary>
    public TimeSpan EffectiveBackdate => Backdate ?? DefaultBackdate;

    /// <summary>The RA/CAS type in lower case; <c>softcas</c> when unset (cas/apiv1 <c>Type.String</c>).</summary>
    public string EffectiveType => string.IsNullOrEmpty(Type) ? "softcas" : Type.ToLowerInvariant();

    /// <summary>True when another CA signs (registration-authority mode).</summary>
    public bool IsRegistrationAuthority => EffectiveType != "softcas";

    /// <summary>The built-in claims with <see cref="Claims"/> applied.</summary>
    public ClaimSet EffectiveClaims => ClaimSet.Global.Merge(Claims);

    /// <summary>The effective claims of <paramref name="provisioner"/>: built-in, then authority, then provisioner.</summary>
    public ClaimSet ClaimsFor(ProvisionerConfig provisioner)
    {
        ArgumentNullException.ThrowIfNull(provisioner);
        return EffectiveClaims.Merge(provisioner.Claims);
    }

    internal static AuthorityConfig Read(ConfigObjectReader r) => new()
    {
        Type = r.String("type"),
        CertificateAuthority = r.String("certificateAuthority"),
        CertificateAuthorityFingerprint = r.String("certificateAuthorityFingerprint"),
        CertificateIssuer = r.Object("certificateIssuer", CertificateIssuerConfig.Read),
        CredentialsFile = r.String("credentialsFile"),
        CasConfig = r.Raw("config"),
        AuthorityId = r.String("authorityId"),
        DeploymentType = r.String("deploymentType"),
        Provisioners = r.Objects("provisioners", ProvisionerConfig.Read) ?? [],
        Template = r.Object("template", SubjectDefaultsConfig.Read),
        Claims = r.Object("claims", ClaimsConfig.Read),
        Policy = r.Object("policy", PolicyConfig.Read),
        DisableIssuedAtCheck = r.Boolean("disableIssuedAtCheck") ?? false,
        Backdate = r.Duration("backdate"),
        EnableAdmin = r.Boolean("enableAdmin") ?? false,
        DisableGetSshHosts = r.Boolean("disableGetSSHHosts") ?? false,
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        WriteRegistrationAuthority(w);
        w.StringIfSet("authorityId", AuthorityId);
        w.StringIfSet("deploymentType", DeploymentType);
        if (Provisioners.Count > 0)
        {
            w.WriteStartArray("provisioners");
            foreach (var provisioner in Provisioners)
            {
                provisioner.Json.WriteTo(w);
            }
            w.WriteEndArray();
        }
        w.ObjectIfSet("template", Template, static (t, w) => t.Write(w));
        w.ObjectIfSet("claims", Claims, static (c, w) => c.WriteTo(w));
        w.ObjectIfSet("policy", Policy, static (p, w) => p.Write(w));
        w.TrueIfSet("disableIssuedAtCheck", DisableIssuedAtCheck);
        w.DurationIfSet("backdate", Backdate);
        w.TrueIfSet("enableAdmin", EnableAdmin);
        w.TrueIfSet("disableGetSSHHosts", DisableGetSshHosts);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }

    // Go writes the embedded *cas.Options members only when the pointer is set, which the
    // decoder does as soon as one of them appears; "type" has no omitempty.
    private void WriteRegistrationAuthority(Utf8JsonWriter w)
    {
        if (Type is null && CertificateAuthority is null && CertificateAuthorityFingerprint is null
            && CertificateIssuer is null && CredentialsFile is null && CasConfig is null)
        {
            return;
        }
        w.WriteString("type", Type ?? string.Empty);
        w.StringIfSet("certificateAuthority", CertificateAuthority);
        w.StringIfSet("certificateAuthorityFingerprint", CertificateAuthorityFingerprint);
        w.ObjectIfSet("certificateIssuer", CertificateIssuer, static (i, w) => i.Write(w));
        w.StringIfSet("credentialsFile", CredentialsFile);
        w.RawIfSet("config", CasConfig);
    }
}
