using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Pending;

/// <summary>
/// The step-ca provisioner types this build knows but does not run yet: each registration gives the
/// type's extension code, its id and routing rules (authority/provisioner/collection.go
/// <c>LoadByToken</c>) and its listing (the members of its Go struct in marshal order, secrets
/// redacted), and builds a <see cref="DisabledProvisioner"/> that answers 501. Replaced one by one
/// as the types land (ACME, X5C and SSHPOP have: their entries are the running types' registrations).
/// The pending types' certificates renew by step-ca's default rule meanwhile (<see cref="DisabledProvisioner.RenewsByDefaultRule"/>).
/// </summary>
public static class PendingProvisionerTypes
{
    /// <summary>What step-ca writes in place of a secret it lists.</summary>
    public const string Redaction = "*** REDACTED ***";

    /// <summary>step-ca master's redaction of a <c>[]byte</c> secret: the same text, base64-encoded by <c>encoding/json</c>.</summary>
    public const string BytesRedaction = "KioqIFJFREFDVEVEICoqKg==";

    /// <summary>
    /// Every pending registration. Listings follow step-ca master's structs (authority/provisioner/*.go):
    /// members without <c>omitempty</c> are always listed with Go's zero value, and SCEP is listed as
    /// master's API model lists it, every secret redacted, set or not. OIDC's <c>clientSecret</c> is
    /// listed, as step-ca lists it: the step CLI reads it to run the OAuth flow of public clients.
    /// </summary>
    public static IReadOnlyList<ProvisionerTypeRegistration> All { get; } =
    [
        Pending(ProvisionerTypeNames.Oidc, 2,
            new ProvisionerListing(["clientID", "clientSecret", "configurationEndpoint", "tenantID", "admins", "domains", "groups", "listenAddress", "claims", "options", "scopes", "authParams"])
            {
                AlwaysListed = Zero(("clientID", "\"\""), ("clientSecret", "\"\""), ("configurationEndpoint", "\"\"")),
            },
            entry => Member(entry, "clientID"),
            (entry, id) => [ProvisionerRoutingKey.AuthorizedParty(id), ProvisionerRoutingKey.TokenAudience(id)]),
        Pending(ProvisionerTypeNames.Gcp, 3,
            new ProvisionerListing(["serviceAccounts", "projectIDs", "organizationID", "disableCustomSANs", "disableTrustOnFirstUse", "disableSSHCAUser", "disableSSHCAHost", "instanceAge", "claims", "options"])
            {
                // gcp.go Init: DisableSSHCAUser defaults to true, DisableSSHCAHost to false.
                AlwaysListed = Zero(("disableCustomSANs", "false"), ("disableTrustOnFirstUse", "false"), ("disableSSHCAUser", "true"), ("disableSSHCAHost", "false"), ("instanceAge", "\"0s\"")),
                Durations = new HashSet<string> { "instanceAge" },
            }),
        Pending(ProvisionerTypeNames.Aws, 4,
            new ProvisionerListing(["accounts", "disableCustomSANs", "disableTrustOnFirstUse", "imdsVersions", "instanceAge", "iidRoots", "claims", "options"])
            {
                AlwaysListed = Zero(("accounts", "null"), ("disableCustomSANs", "false"), ("disableTrustOnFirstUse", "false"), ("imdsVersions", "[\"v2\",\"v1\"]"), ("instanceAge", "\"0s\"")),
                Durations = new HashSet<string> { "instanceAge" },
            }),
        Pending(ProvisionerTypeNames.Azure, 5,
            new ProvisionerListing(["tenantID", "resourceGroups", "subscriptionIDs", "objectIDs", "audience", "disableCustomSANs", "disableTrustOnFirstUse", "claims", "options"])
            {
                AlwaysListed = Zero(("tenantID", "\"\""), ("resourceGroups", "null"), ("subscriptionIDs", "null"), ("objectIDs", "null"),
                    ("audience", "\"https://management.azure.com/\""), ("disableCustomSANs", "false"), ("disableTrustOnFirstUse", "false")),
            },
            entry => Member(entry, "tenantID"),
            (entry, id) => [ProvisionerRoutingKey.Tenant(id)]),
        // ACME and X5C run (Acme/AcmeProvisionerType, X5c/X5cProvisionerType); they stay in this list,
        // which every step-ca type registration iterates, until those callers register them themselves.
        Acme.AcmeProvisionerType.Registration,
        X5c.X5cProvisionerType.Registration,
        Pending(ProvisionerTypeNames.K8sSA, 8,
            new ProvisionerListing(["publicKeys", "claims", "options"]),
            // k8sSA.go: one K8sSA provisioner, whatever its name, with a constant id.
            entry => "k8ssa/k8sSA-default",
            (entry, id) => [ProvisionerRoutingKey.AudienceFragment(id), ProvisionerRoutingKey.TokenIssuer("kubernetes/serviceaccount")]),
        // SSHPOP runs (SshPop/SshPopProvisionerType), listed here for the same reason as ACME.
        SshPop.SshPopProvisionerType.Registration,
        Pending(ProvisionerTypeNames.Scep, 10,
            new ProvisionerListing(["forceCN", "challenge", "capabilities", "includeRoot", "excludeIntermediate", "minimumPublicKeyLength", "decrypterCertificate",
                "decrypterKeyPEM", "decrypterKey", "decrypterKeyPassword", "encryptionAlgorithmIdentifier", "options", "claims"])
            {
                AlwaysListed = Zero(("forceCN", "false"), ("challenge", "\"\""), ("includeRoot", "false"), ("excludeIntermediate", "false"), ("minimumPublicKeyLength", "2048"),
                    ("decrypterCertificate", "null"), ("decrypterKeyPEM", "null"), ("decrypterKey", "\"\""), ("decrypterKeyPassword", "\"\""), ("encryptionAlgorithmIdentifier", "0")),
                Redacted = new Dictionary<string, string>
                {
                    ["challenge"] = Redaction,
                    ["decrypterCertificate"] = BytesRedaction,
                    ["decrypterKeyPEM"] = BytesRedaction,
                    ["decrypterKey"] = Redaction,
                    ["decrypterKeyPassword"] = Redaction,
                },
            },
            routingKeys: (entry, id) => [ProvisionerRoutingKey.Path("scep", entry.Name)], renews: false),
        Pending(ProvisionerTypeNames.Nebula, 11, new ProvisionerListing(["roots", "claims", "options"]) { AlwaysListed = Zero(("roots", "null")) }),
    ];

    private static Dictionary<string, string> Zero(params (string Member, string Json)[] members) => members.ToDictionary(m => m.Member, m => m.Json);

    // renews: step-ca's type implements AuthorizeRenew with the default rule (all but SCEP and SSHPOP).
    private static ProvisionerTypeRegistration Pending(string type, int code, ProvisionerListing listing, Func<ProvisionerConfig, string>? id = null,
        Func<ProvisionerConfig, string, IReadOnlyList<ProvisionerRoutingKey>>? routingKeys = null, bool renews = true) =>
        new(type, (entry, context) =>
        {
            var provisionerId = id?.Invoke(entry);
            var keys = routingKeys is null ? null : routingKeys(entry, provisionerId ?? $"{type.ToLowerInvariant()}/{entry.Name}");
            return new DisabledProvisioner(entry, context, provisionerId, keys) { RenewsByDefaultRule = renews };
        })
        {
            ExtensionTypeCode = code,
            Listing = listing,
            IsRunnable = false,
        };

    private static string Member(ProvisionerConfig entry, string name) =>
        entry.Json.ValueKind == JsonValueKind.Object && entry.Json.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } member
            ? member.Value.GetString()!
            : "";
}
