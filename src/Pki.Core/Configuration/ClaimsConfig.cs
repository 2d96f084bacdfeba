using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// A <c>claims</c> object as written in ca.json (at <c>authority.claims</c> or on a provisioner).
/// Every member is optional; null means "inherit" (see <see cref="ClaimSet.Merge"/>).
/// JSON names and order are those of step-ca's <c>provisioner.Claims</c> struct
/// (authority/provisioner/claims.go).
/// </summary>
public sealed record ClaimsConfig
{
    /// <summary><c>minTLSCertDuration</c>: shortest X.509 certificate allowed.</summary>
    public TimeSpan? MinTlsCertDuration { get; init; }

    /// <summary><c>maxTLSCertDuration</c>: longest X.509 certificate allowed.</summary>
    public TimeSpan? MaxTlsCertDuration { get; init; }

    /// <summary><c>defaultTLSCertDuration</c>: X.509 validity when the request asks for none.</summary>
    public TimeSpan? DefaultTlsCertDuration { get; init; }

    /// <summary><c>minUserSSHCertDuration</c>.</summary>
    public TimeSpan? MinUserSshCertDuration { get; init; }

    /// <summary><c>maxUserSSHCertDuration</c>.</summary>
    public TimeSpan? MaxUserSshCertDuration { get; init; }

    /// <summary><c>defaultUserSSHCertDuration</c>.</summary>
    public TimeSpan? DefaultUserSshCertDuration { get; init; }

    /// <summary><c>minHostSSHCertDuration</c>.</summary>
    public TimeSpan? MinHostSshCertDuration { get; init; }

    /// <summary><c>maxHostSSHCertDuration</c>.</summary>
    public TimeSpan? MaxHostSshCertDuration { get; init; }

    /// <summary><c>defaultHostSSHCertDuration</c>.</summary>
    public TimeSpan? DefaultHostSshCertDuration { get; init; }

    /// <summary><c>enableSSHCA</c>: whether the provisioner may sign SSH certificates.</summary>
    public bool? EnableSshCa { get; init; }

    /// <summary><c>disableRenewal</c>.</summary>
    public bool? DisableRenewal { get; init; }

    /// <summary><c>allowRenewalAfterExpiry</c>.</summary>
    public bool? AllowRenewalAfterExpiry { get; init; }

    /// <summary><c>disableSmallstepExtensions</c>: true omits the provisioner X.509 extension.</summary>
    public bool? DisableSmallstepExtensions { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    /// <summary>
    /// Writes the object exactly as step-ca re-marshals it (e.g. in <c>GET /provisioners</c>):
    /// struct field order, unset members omitted, durations as Go's <c>Duration.String()</c>
    /// (<c>"5m"</c> becomes <c>"5m0s"</c>). Unknown members are not written: step-ca drops them.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.DurationIfSet("minTLSCertDuration", MinTlsCertDuration);
        writer.DurationIfSet("maxTLSCertDuration", MaxTlsCertDuration);
        writer.DurationIfSet("defaultTLSCertDuration", DefaultTlsCertDuration);
        writer.DurationIfSet("minUserSSHCertDuration", MinUserSshCertDuration);
        writer.DurationIfSet("maxUserSSHCertDuration", MaxUserSshCertDuration);
        writer.DurationIfSet("defaultUserSSHCertDuration", DefaultUserSshCertDuration);
        writer.DurationIfSet("minHostSSHCertDuration", MinHostSshCertDuration);
        writer.DurationIfSet("maxHostSSHCertDuration", MaxHostSshCertDuration);
        writer.DurationIfSet("defaultHostSSHCertDuration", DefaultHostSshCertDuration);
        writer.BooleanIfSet("enableSSHCA", EnableSshCa);
        writer.BooleanIfSet("disableRenewal", DisableRenewal);
        writer.BooleanIfSet("allowRenewalAfterExpiry", AllowRenewalAfterExpiry);
        writer.BooleanIfSet("disableSmallstepExtensions", DisableSmallstepExtensions);
        writer.WriteEndObject();
    }

    /// <summary>The compact canonical JSON of <see cref="WriteTo"/>, e.g. <c>{"enableSSHCA":true}</c>.</summary>
    public string ToJson() => GoJsonEncoder.EncodeToString(WriteTo, CaConfig.FileFormat with { Indent = null });

    /// <summary>Parses a claims object; throws <see cref="CaConfigException"/> listing every problem.</summary>
    public static ClaimsConfig Parse(string json) => ConfigDocument.ParseObject(json, "claims", Read);

    internal static ClaimsConfig Read(ConfigObjectReader r) => new()
    {
        MinTlsCertDuration = r.Duration("minTLSCertDuration"),
        MaxTlsCertDuration = r.Duration("maxTLSCertDuration"),
        DefaultTlsCertDuration = r.Duration("defaultTLSCertDuration"),
        MinUserSshCertDuration = r.Duration("minUserSSHCertDuration"),
        MaxUserSshCertDuration = r.Duration("maxUserSSHCertDuration"),
        DefaultUserSshCertDuration = r.Duration("defaultUserSSHCertDuration"),
        MinHostSshCertDuration = r.Duration("minHostSSHCertDuration"),
        MaxHostSshCertDuration = r.Duration("maxHostSSHCertDuration"),
        DefaultHostSshCertDuration = r.Duration("defaultHostSSHCertDuration"),
        EnableSshCa = r.Boolean("enableSSHCA"),
        DisableRenewal = r.Boolean("disableRenewal"),
        AllowRenewalAfterExpiry = r.Boolean("allowRenewalAfterExpiry"),
        DisableSmallstepExtensions = r.Boolean("disableSmallstepExtensions"),
        ExtensionData = r.Remaining(),
    };
}
