using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Provisioners.Jwk;

/// <summary>
/// Reads a token's <c>step.ssh</c> claim into the options it allows (tokens.md §4.1; step-ca decodes
/// it into <c>SignSSHOptions</c> with Go's <c>encoding/json</c>: member names case-insensitive,
/// <c>null</c> leaving a member unset, a value of the wrong type invalidating the token).
/// </summary>
internal static class SshTokenClaim
{
    /// <exception cref="PkiException">Unauthorized: not an object, or a member of the wrong type.</exception>
    public static SshSignOptions Read(JsonElement ssh)
    {
        if (ssh.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("'step.ssh' must be an object");
        }
        var options = new SshSignOptions();
        foreach (var member in ssh.EnumerateObject())
        {
            var value = member.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            options = member.Name.ToLowerInvariant() switch
            {
                "certtype" => options with { CertType = String(value, "certType") },
                "keyid" => options with { KeyId = String(value, "keyID") },
                "principals" => options with { Principals = Principals(value) },
                "validafter" => options with { ValidAfter = Time(value, "validAfter") },
                "validbefore" => options with { ValidBefore = Time(value, "validBefore") },
                "templatedata" => options with { TemplateData = value.Clone() },
                _ => options,
            };
        }
        return options;
    }

    private static string String(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid($"'step.ssh.{name}' must be a string");

    private static IReadOnlyList<string> Principals(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > SshCertificateDescription.MaxPrincipals)
        {
            throw Invalid($"'step.ssh.principals' must be an array of at most {SshCertificateDescription.MaxPrincipals} strings");
        }
        return value.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.Null ? "" : String(p, "principals")).ToList();
    }

    private static TimeDuration Time(JsonElement value, string name)
    {
        try
        {
            return TimeDuration.Parse(String(value, name));
        }
        catch (FormatException e)
        {
            throw PkiException.Unauthorized($"invalid token claims: 'step.ssh.{name}': {e.Message}", e);
        }
    }

    private static PkiException Invalid(string reason) => PkiException.Unauthorized("invalid token claims: " + reason);
}
