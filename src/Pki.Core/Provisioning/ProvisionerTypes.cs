using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// step-ca's provisioner types: canonical spelling, the type code of the provisioner extension
/// (linkedca numbering) and the id rule (<c>GetID</c>, authority/provisioner/*.go).
/// </summary>
public static class ProvisionerTypes
{
    // linkedca type numbers, in ProvisionerTypeNames.All order (JWK = 1 ... Nebula = 11).
    private static readonly Dictionary<string, (string Name, int Code)> Known =
        ProvisionerTypeNames.All.Select((name, i) => (name, code: i + 1)).ToDictionary(t => t.name, t => (t.name, t.code), StringComparer.OrdinalIgnoreCase);

    /// <summary>The canonical spelling of a type (<c>jwk</c> → <c>JWK</c>); unknown types are returned unchanged.</summary>
    public static string Canonical(string type) => Known.TryGetValue(type, out var known) ? known.Name : type;

    /// <summary>The extension type code, or 0 for types step-ca does not know.</summary>
    public static int Code(string type) => Known.TryGetValue(type, out var known) ? known.Code : 0;

    /// <summary>The provisioner id step-ca derives from a ca.json entry.</summary>
    public static string IdOf(ProvisionerConfig config)
    {
        string Member(string name) => config.Json.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString()! : "";
        return Canonical(config.Type) switch
        {
            "JWK" => $"{config.Name}:{(config.Json.TryGetProperty("key", out var key) && key.TryGetProperty("kid", out var kid) ? kid.GetString() : "")}",
            "OIDC" => Member("clientID"),
            "Azure" => Member("tenantID"),
            var canonical => $"{canonical.ToLowerInvariant()}/{config.Name}",
        };
    }
}
