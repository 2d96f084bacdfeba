using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Writes a provisioner as <c>GET /provisioners</c> shows it: step-ca re-marshals its Go struct,
/// so members come in the struct's order, <c>claims</c> in canonical form, and only the members
/// the struct marshals appear. Never publishes a secret: a ca.json entry is not echoed raw for any
/// type. Secrets are hidden as step-ca (master, api/api.go <c>ProvisionersResponse.MarshalJSON</c>
/// and the <c>json:"-"</c> tags) hides them: a SCEP <c>challenge</c>, <c>decrypterKey</c> and
/// <c>decrypterKeyPassword</c> read <c>*** REDACTED ***</c>, <c>decrypterCertificate</c> and
/// <c>decrypterKeyPEM</c> the base64 of that text; webhook <c>secret</c>, <c>bearerToken</c>
/// and <c>basicAuth</c> and the x509/ssh name-policy options are never listed. Members step-ca
/// does not know (and, for a type it does not know, everything but <c>type</c>, <c>name</c>,
/// <c>claims</c> and <c>options</c>) are dropped. Thread-safe (stateless).
/// </summary>
public static class ProvisionerListing
{
    /// <summary>step-ca master's redaction text (api/api.go <c>redacted</c>).</summary>
    public const string Redacted = "*** REDACTED ***";

    // base64 of Redacted: []byte fields marshal as base64 in Go.
    private static readonly string RedactedBytes = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Redacted));

    // The Go structs of authority/provisioner/*.go (api/models/scep.go for SCEP) after type and
    // name, in field order, as listed after Init (which sets the AWS imdsVersions, GCP
    // disableSSHCA*, Azure audience and SCEP minimumPublicKeyLength defaults).
    // "x" = omitempty; "=v" = always written, v when the entry has none;
    // "d" = a Duration struct (always written, Go's String()); "r" = redacted string; "rb" =
    // redacted []byte; "claims" and "options" are special.
    private static readonly Dictionary<string, (string Member, string Rule)[]> Schemas = new(StringComparer.OrdinalIgnoreCase)
    {
        ["JWK"] = [("key", "=null"), ("encryptedKey", "x"), ("claims", ""), ("options", "")],
        // The client secret of an OIDC provisioner is public in step-ca: the step CLI reads it from
        // this listing to run the OAuth flow (a "public client", RFC 8252 §8.5).
        ["OIDC"] = [("clientID", "=\"\""), ("clientSecret", "=\"\""), ("configurationEndpoint", "=\"\""), ("tenantID", "x"), ("admins", "x"), ("domains", "x"),
            ("groups", "x"), ("listenAddress", "x"), ("claims", ""), ("options", ""), ("scopes", "x"), ("authParams", "x")],
        ["AWS"] = [("accounts", "=null"), ("disableCustomSANs", "=false"), ("disableTrustOnFirstUse", "=false"), ("imdsVersions", "=[\"v2\",\"v1\"]"),
            ("instanceAge", "d"), ("iidRoots", "x"), ("claims", ""), ("options", "")],
        ["GCP"] = [("serviceAccounts", "x"), ("projectIDs", "x"), ("organizationID", "x"), ("disableCustomSANs", "=false"), ("disableTrustOnFirstUse", "=false"),
            ("disableSSHCAUser", "=true"), ("disableSSHCAHost", "=false"), ("instanceAge", "d"), ("claims", ""), ("options", "")],
        ["Azure"] = [("tenantID", "=\"\""), ("resourceGroups", "=null"), ("subscriptionIDs", "=null"), ("objectIDs", "=null"), ("audience", "=\"https://management.azure.com/\""),
            ("disableCustomSANs", "=false"), ("disableTrustOnFirstUse", "=false"), ("claims", ""), ("options", "")],
        ["ACME"] = [("forceCN", "x"), ("termsOfService", "x"), ("website", "x"), ("caaIdentities", "x"), ("requireEAB", "x"), ("challenges", "x"),
            ("attestationFormats", "x"), ("attestationRoots", "x"), ("claims", ""), ("options", "")],
        ["X5C"] = [("roots", "=null"), ("claims", ""), ("options", "")],
        ["K8sSA"] = [("publicKeys", "x"), ("claims", ""), ("options", "")],
        ["SSHPOP"] = [("claims", "")],
        ["SCEP"] = [("forceCN", "=false"), ("challenge", "r"), ("capabilities", "x"), ("includeRoot", "=false"), ("excludeIntermediate", "=false"),
            ("minimumPublicKeyLength", "=2048"), ("decrypterCertificate", "rb"), ("decrypterKeyPEM", "rb"), ("decrypterKey", "r"), ("decrypterKeyPassword", "r"),
            ("encryptionAlgorithmIdentifier", "=0"), ("options", ""), ("claims", "")],
        ["Nebula"] = [("roots", "=null"), ("claims", ""), ("options", "")],
    };

    // A type step-ca does not know: nothing beyond what every provisioner has.
    private static readonly (string Member, string Rule)[] UnknownTypeSchema = [("claims", ""), ("options", "")];

    // provisioner.Webhook: Secret, BearerToken and BasicAuth are json:"-".
    private static readonly (string Member, string Rule)[] WebhookSchema =
        [("id", "=\"\""), ("name", "=\"\""), ("url", "=\"\""), ("kind", "=\"\""), ("disableTLSClientAuth", "x"), ("certType", "=\"\"")];

    // X509Options and SSHOptions: the name policies (allow/deny, user/host) are json:"-".
    private static readonly (string Member, string Rule)[] TemplateOptionsSchema = [("template", "x"), ("templateFile", "x"), ("templateData", "x")];

    /// <summary>
    /// Writes <c>type</c> and <c>name</c>, then the members step-ca's Go struct for the type marshals,
    /// secrets redacted. <paramref name="memberOrder"/> and <paramref name="knownMembersOnly"/> are
    /// kept for the callers' convenience: when the type is not one of step-ca's, a
    /// <paramref name="memberOrder"/> given with <paramref name="knownMembersOnly"/> names the
    /// members a third-party type chose to publish (never secrets); otherwise only <c>claims</c>
    /// and <c>options</c> are written.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, ProvisionerConfig config, string typeName, IReadOnlyList<string> memberOrder, bool knownMembersOnly)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(memberOrder);
        writer.WriteStartObject();
        writer.WriteString("type", typeName);
        writer.WriteString("name", config.Name);
        var schema = Schemas.TryGetValue(typeName, out var known) ? known
            : knownMembersOnly ? memberOrder.Select(m => (m, "x")).ToArray()
            : UnknownTypeSchema;
        foreach (var (member, rule) in schema)
        {
            WriteMember(writer, config, member, rule);
        }
        writer.WriteEndObject();
    }

    private static void WriteMember(Utf8JsonWriter writer, ProvisionerConfig config, string member, string rule)
    {
        var json = config.Json;
        JsonElement value = default;
        var has = json.ValueKind == JsonValueKind.Object && json.TryGetProperty(member, out value);
        switch (member, rule)
        {
            case ("claims", ""):
                if (config.Claims is { } claims)
                {
                    writer.WritePropertyName("claims");
                    claims.WriteTo(writer);
                }
                return;
            case ("options", ""):
                if (has && value.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName("options");
                    WriteOptions(writer, value);
                }
                return;
        }
        WriteByRule(writer, member, rule, has ? value : null);
    }

    private static void WriteByRule(Utf8JsonWriter writer, string member, string rule, JsonElement? value)
    {
        switch (rule)
        {
            case "r":
                writer.WriteString(member, Redacted);
                return;
            case "rb":
                writer.WriteString(member, RedactedBytes);
                return;
            case "d":
                writer.WriteString(member, value is { ValueKind: JsonValueKind.String } d && GoDuration.TryParse(d.GetString(), out var span) ? GoDuration.Format(span) : "0s");
                return;
            case "x":
                if (value is { } v && !IsEmpty(v))
                {
                    writer.WritePropertyName(member);
                    v.WriteTo(writer);
                }
                return;
            default:
                writer.WritePropertyName(member);
                if (value is { ValueKind: not JsonValueKind.Null } present)
                {
                    present.WriteTo(writer);
                }
                else
                {
                    writer.WriteRawValue(rule[1..]);
                }
                return;
        }
    }

    // provisioner.Options: x509 and ssh templates, webhooks without their credentials, wire as is.
    private static void WriteOptions(Utf8JsonWriter writer, JsonElement options)
    {
        writer.WriteStartObject();
        foreach (var name in (ReadOnlySpan<string>)["x509", "ssh"])
        {
            if (options.TryGetProperty(name, out var template) && template.ValueKind == JsonValueKind.Object)
            {
                writer.WritePropertyName(name);
                WriteObject(writer, template, TemplateOptionsSchema);
            }
        }
        if (options.TryGetProperty("webhooks", out var webhooks) && webhooks.ValueKind == JsonValueKind.Array && webhooks.GetArrayLength() > 0)
        {
            writer.WriteStartArray("webhooks");
            foreach (var webhook in webhooks.EnumerateArray())
            {
                if (webhook.ValueKind == JsonValueKind.Object)
                {
                    WriteObject(writer, webhook, WebhookSchema);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }
            writer.WriteEndArray();
        }
        if (options.TryGetProperty("wire", out var wire) && wire.ValueKind == JsonValueKind.Object)
        {
            writer.WritePropertyName("wire");
            wire.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement source, (string Member, string Rule)[] schema)
    {
        writer.WriteStartObject();
        foreach (var (member, rule) in schema)
        {
            WriteByRule(writer, member, rule, source.TryGetProperty(member, out var value) ? value : null);
        }
        writer.WriteEndObject();
    }

    // Go's omitempty: null, "", false, 0, empty arrays and objects are left out.
    private static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => true,
        JsonValueKind.String => value.GetString()!.Length == 0,
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        JsonValueKind.Number => value.GetRawText() == "0",
        _ => false,
    };
}
