using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Provisioners.Acme.RateLimits;

/// <summary>
/// Reads an ACME provisioner's <c>rateLimits</c> block (ours; step-ca ignores the member):
/// <c>{"newAccountsPerAddress":{"limit":20,"window":"1h"},"newOrdersPerAccount":{"limit":300,"window":"3h"},"maxPendingAuthorizationsPerAccount":300}</c>.
/// Every limit is optional; a malformed one stops start-up naming the field.
/// </summary>
internal static class AcmeRateLimitConfig
{
    public static AcmeRateLimitOptions Read(JsonElement? block, string field)
    {
        if (block is not { } json || json.ValueKind == JsonValueKind.Null)
        {
            return AcmeRateLimitOptions.None;
        }
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(field, "must be an object");
        }
        foreach (var member in json.EnumerateObject())
        {
            if (member.Name is not ("newAccountsPerAddress" or "newOrdersPerAccount" or "maxPendingAuthorizationsPerAccount"))
            {
                throw Invalid($"{field}.{member.Name}", "unknown rate limit (known: newAccountsPerAddress, newOrdersPerAccount, maxPendingAuthorizationsPerAccount)");
            }
        }
        return new AcmeRateLimitOptions
        {
            NewAccountsPerAddress = Limit(json, "newAccountsPerAddress", field),
            NewOrdersPerAccount = Limit(json, "newOrdersPerAccount", field),
            MaxPendingAuthorizationsPerAccount = json.TryGetProperty("maxPendingAuthorizationsPerAccount", out var max) && max.ValueKind != JsonValueKind.Null
                ? max.ValueKind == JsonValueKind.Number && max.TryGetInt32(out var count) && count > 0 ? count
                    : throw Invalid($"{field}.maxPendingAuthorizationsPerAccount", "must be a positive integer")
                : null,
        };
    }

    private static AcmeRateLimit? Limit(JsonElement json, string name, string field)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var path = $"{field}.{name}";
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("limit", out var limit) || limit.ValueKind != JsonValueKind.Number || !limit.TryGetInt32(out var count) || count <= 0)
        {
            throw Invalid(path, "must be {\"limit\": a positive integer, \"window\": a duration such as \"1h\"}");
        }
        if (!value.TryGetProperty("window", out var window) || window.ValueKind != JsonValueKind.String
            || !GoDuration.TryParse(window.GetString(), out var span) || span <= TimeSpan.Zero)
        {
            throw Invalid($"{path}.window", "must be a positive duration such as \"1h\" or \"30m\"");
        }
        return new AcmeRateLimit(count, span);
    }

    private static CaConfigException Invalid(string field, string message) => new("ca.json", [ConfigDiagnostic.Error(field, message)]);
}
