using System.Text.Json;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Writes a provisioner as <c>GET /provisioners</c> shows it: step-ca re-marshals its Go struct,
/// so members come in the struct's order, <c>claims</c> in canonical form, and empty values are
/// omitted.
/// </summary>
public static class ProvisionerListing
{
    /// <summary>
    /// Writes <c>type</c> and <c>name</c>, then the members named in <paramref name="memberOrder"/>
    /// that the entry has, then (when <paramref name="knownMembersOnly"/> is false) any other
    /// members in their original order. <c>claims</c> is always canonical.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, ProvisionerConfig config, string typeName, IReadOnlyList<string> memberOrder, bool knownMembersOnly)
    {
        writer.WriteStartObject();
        writer.WriteString("type", typeName);
        writer.WriteString("name", config.Name);
        var written = new HashSet<string>(StringComparer.Ordinal) { "type", "name" };
        foreach (var member in memberOrder)
        {
            WriteMember(writer, config, member);
            written.Add(member);
        }
        if (!knownMembersOnly)
        {
            foreach (var property in config.Json.EnumerateObject())
            {
                if (written.Add(property.Name))
                {
                    WriteMember(writer, config, property.Name);
                }
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteMember(Utf8JsonWriter writer, ProvisionerConfig config, string member)
    {
        if (member == "claims")
        {
            if (config.Claims is { } claims)
            {
                writer.WritePropertyName("claims");
                claims.WriteTo(writer);
            }
            return;
        }
        if (config.Json.TryGetProperty(member, out var value) && !IsEmpty(value))
        {
            writer.WritePropertyName(member);
            value.WriteTo(writer);
        }
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
