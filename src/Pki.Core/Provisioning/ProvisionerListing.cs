using System.Text.Json;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// How a provisioner type shows on <c>GET /provisioners</c>: step-ca re-marshals its Go struct, so a
/// type lists <c>type</c> and <c>name</c>, then the members it declares public, in the struct's order,
/// with <c>claims</c> in canonical form and Go's <c>omitempty</c>. A member not declared is never
/// listed (so an entry's secrets stay private unless a type publishes them on purpose); a declared
/// member may be listed with its value replaced (<see cref="Redacted"/>), as step-ca redacts secrets.
/// Immutable.
/// </summary>
public sealed class ProvisionerListing
{
    /// <summary>Creates a listing of <paramref name="publicMembers"/> (after <c>type</c> and <c>name</c>), in that order.</summary>
    public ProvisionerListing(IReadOnlyList<string> publicMembers)
    {
        PublicMembers = publicMembers ?? throw new ArgumentNullException(nameof(publicMembers));
    }

    /// <summary>Lists only <c>type</c> and <c>name</c>.</summary>
    public static ProvisionerListing TypeAndName { get; } = new([]);

    /// <summary>The members listed after <c>type</c> and <c>name</c>, in Go-struct order.</summary>
    public IReadOnlyList<string> PublicMembers { get; }

    /// <summary>
    /// Members listed with this text in place of their value (step-ca master's <c>*** REDACTED ***</c>):
    /// when set, or always when also in <see cref="AlwaysListed"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Redacted { get; init; } = new Dictionary<string, string>();

    /// <summary>Members holding a Go <c>Duration</c>, listed as Go prints it (<c>1h</c> as <c>1h0m0s</c>).</summary>
    public IReadOnlySet<string> Durations { get; init; } = new HashSet<string>();

    /// <summary>
    /// Members whose Go field has no <c>omitempty</c>: listed even when empty or absent, with this raw
    /// JSON (the Go zero value, e.g. <c>""</c>) when absent.
    /// </summary>
    public IReadOnlyDictionary<string, string> AlwaysListed { get; init; } = new Dictionary<string, string>();

    /// <summary>Writes <paramref name="entry"/> as the listing of a provisioner of type <paramref name="typeName"/>.</summary>
    public void Write(Utf8JsonWriter writer, ProvisionerConfig entry, string typeName)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entry);
        writer.WriteStartObject();
        writer.WriteString("type", typeName);
        writer.WriteString("name", entry.Name);
        foreach (var member in PublicMembers)
        {
            WriteMember(writer, entry, member);
        }
        writer.WriteEndObject();
    }

    private void WriteMember(Utf8JsonWriter writer, ProvisionerConfig entry, string member)
    {
        if (member == "options")
        {
            if (TryGetMember(entry.Json, member, out var options) && options.ValueKind == JsonValueKind.Object && !IsEmpty(options))
            {
                writer.WritePropertyName("options");
                WriteOptions(writer, options);
            }
            return;
        }
        if (member == "claims")
        {
            if (entry.Claims is { } claims)
            {
                writer.WritePropertyName("claims");
                claims.WriteTo(writer);
            }
            return;
        }
        var exists = TryGetMember(entry.Json, member, out var value) && value.ValueKind != JsonValueKind.Null;
        var always = AlwaysListed.TryGetValue(member, out var zero);
        // omitempty drops Go's zero values; a field without it keeps whatever was set (false included).
        if (!(always ? exists : exists && !IsEmpty(value)))
        {
            if (always)
            {
                writer.WritePropertyName(member);
                if (Redacted.TryGetValue(member, out var redactedZero))
                {
                    writer.WriteStringValue(redactedZero);
                }
                else
                {
                    writer.WriteRawValue(zero!);
                }
            }
            return;
        }
        writer.WritePropertyName(member);
        if (Redacted.TryGetValue(member, out var replacement))
        {
            writer.WriteStringValue(replacement);
        }
        else if (Durations.Contains(member) && value.ValueKind == JsonValueKind.String && Time.GoDuration.TryParse(value.GetString(), out var duration))
        {
            writer.WriteStringValue(Time.GoDuration.Format(duration));
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    // provisioner.Options: the x509 and ssh templates (their name policies are json:"-"), webhooks
    // without their credentials (Secret, BearerToken and BasicAuth are json:"-"), wire as it is.
    private static void WriteOptions(Utf8JsonWriter writer, JsonElement options)
    {
        writer.WriteStartObject();
        foreach (var name in (ReadOnlySpan<string>)["x509", "ssh"])
        {
            if (TryGetMember(options, name, out var template) && template.ValueKind == JsonValueKind.Object)
            {
                writer.WritePropertyName(name);
                WriteMembers(writer, template, TemplateOptionMembers, alwaysListed: []);
            }
        }
        if (TryGetMember(options, "webhooks", out var webhooks) && webhooks.ValueKind == JsonValueKind.Array && webhooks.GetArrayLength() > 0)
        {
            writer.WriteStartArray("webhooks");
            foreach (var webhook in webhooks.EnumerateArray())
            {
                if (webhook.ValueKind == JsonValueKind.Object)
                {
                    WriteMembers(writer, webhook, WebhookMembers, WebhookAlwaysListed);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }
            writer.WriteEndArray();
        }
        if (TryGetMember(options, "wire", out var wire) && wire.ValueKind == JsonValueKind.Object)
        {
            writer.WritePropertyName("wire");
            wire.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    private static readonly string[] TemplateOptionMembers = ["template", "templateFile", "templateData"];
    private static readonly string[] WebhookMembers = ["id", "name", "url", "kind", "disableTLSClientAuth", "certType"];
    private static readonly string[] WebhookAlwaysListed = ["id", "name", "url", "kind", "certType"];

    private static void WriteMembers(Utf8JsonWriter writer, JsonElement source, string[] members, string[] alwaysListed)
    {
        writer.WriteStartObject();
        foreach (var member in members)
        {
            var present = TryGetMember(source, member, out var value) && value.ValueKind != JsonValueKind.Null;
            if (present && (!IsEmpty(value) || alwaysListed.Contains(member)))
            {
                writer.WritePropertyName(member);
                value.WriteTo(writer);
            }
            else if (alwaysListed.Contains(member))
            {
                writer.WriteString(member, "");
            }
        }
        writer.WriteEndObject();
    }

    // Go's encoding/json matches member names case-insensitively; an exact match wins.
    private static bool TryGetMember(JsonElement entry, string member, out JsonElement value)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            value = default;
            return false;
        }
        if (entry.TryGetProperty(member, out value))
        {
            return true;
        }
        foreach (var property in entry.EnumerateObject())
        {
            if (string.Equals(property.Name, member, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        return false;
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
