using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// The <c>ACME</c> provisioner type (authority/provisioner/acme.go; extension type code 6): binds and
/// validates <c>forceCN</c>, <c>requireEAB</c>, <c>challenges</c>, <c>termsOfService</c>,
/// <c>website</c>, <c>caaIdentities</c>, and lists the members step-ca's Go struct marshals. What this
/// build does not run (device-attest-01 and its <c>attestationFormats</c>/<c>attestationRoots</c>,
/// the Wire challenges and <c>options.wire</c>) stops start-up with a message naming the field.
/// </summary>
public static class AcmeProvisionerType
{
    private static readonly HashSet<string> Supported = new(AcmeProvisionerOptions.DefaultChallenges, StringComparer.Ordinal);

    /// <summary>The registration (<c>AddAcmeProvisioners()</c>).</summary>
    public static ProvisionerTypeRegistration Registration { get; } = new(ProvisionerTypeNames.Acme, Create)
    {
        ExtensionTypeCode = 6,
        Listing = new ProvisionerListing(["forceCN", "termsOfService", "website", "caaIdentities", "requireEAB", "challenges", "attestationFormats", "attestationRoots", "claims", "options"]),
    };

    private static AcmeProvisioner Create(ProvisionerConfig config, ProvisionerBuildContext context)
    {
        var field = context.FieldPath;
        if (string.IsNullOrEmpty(config.Name))
        {
            throw Invalid(field + ".name", "provisioner name cannot be empty");
        }
        var json = config.Json;
        foreach (var member in new[] { "attestationFormats", "attestationRoots" })
        {
            if (Member(json, member) is { ValueKind: not JsonValueKind.Null } value && !(value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0))
            {
                throw Invalid($"{field}.{member}", "device-attest-01 attestation is not supported by this build; remove the field");
            }
        }
        if (Member(json, "options") is { ValueKind: JsonValueKind.Object } options && Member(options, "wire") is { ValueKind: not JsonValueKind.Null })
        {
            throw Invalid($"{field}.options.wire", "the Wire ACME challenges are not supported by this build; remove the field");
        }
        var challenges = Strings(json, "challenges", field).Select(c => c.ToLowerInvariant()).Distinct().ToArray();
        foreach (var challenge in challenges.Where(c => !Supported.Contains(c)))
        {
            throw Invalid($"{field}.challenges", $"challenge type \"{challenge}\" is not supported by this build (supported: {string.Join(", ", Supported)})");
        }
        var parsed = new AcmeProvisionerOptions
        {
            ForceCn = Boolean(json, "forceCN", field),
            RequireEab = Boolean(json, "requireEAB", field),
            Challenges = challenges.Length > 0 ? challenges : AcmeProvisionerOptions.DefaultChallenges,
            TermsOfService = String(json, "termsOfService", field),
            Website = String(json, "website", field),
            CaaIdentities = Strings(json, "caaIdentities", field),
            RateLimits = RateLimits.AcmeRateLimitConfig.Read(Member(json, "rateLimits"), field + ".rateLimits"),
        };
        return new AcmeProvisioner(config, context, parsed);
    }

    private static JsonElement? Member(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) ? value : null;

    private static bool Boolean(JsonElement json, string name, string field) => Member(json, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Invalid($"{field}.{name}", "must be true or false"),
    };

    private static string? String(JsonElement json, string name, string field) => Member(json, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString() is { Length: > 0 } s ? s : null,
        _ => throw Invalid($"{field}.{name}", "must be a string"),
    };

    private static string[] Strings(JsonElement json, string name, string field) => Member(json, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => [],
        { ValueKind: JsonValueKind.Array } v when v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => v.EnumerateArray().Select(e => e.GetString()!).ToArray(),
        _ => throw Invalid($"{field}.{name}", "must be an array of strings"),
    };

    private static CaConfigException Invalid(string field, string message) => new("ca.json", [ConfigDiagnostic.Error(field, message)]);
}
