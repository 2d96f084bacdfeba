using System.Buffers;
using System.Text.Json;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The options every provisioner type shares, set in code (named options, as ASP.NET Core
/// authentication schemes are: <c>AddProvisioner&lt;TOptions&gt;(type, name, configure)</c>).
/// Options from code become an entry in ca.json form (<see cref="ToEntry"/>) and are bound and
/// validated by their type exactly as a ca.json entry is, so a mistake stops the start with a message
/// naming the registration. Types derive and add their own members (<see cref="WriteMembers"/>).
/// </summary>
public class ProvisionerOptions
{
    /// <summary><c>claims</c>: overrides of the authority's claims, or null.</summary>
    public ClaimsConfig? Claims { get; set; }

    /// <summary><c>options.x509.template</c>: an X.509 certificate template (inline JSON), or null for step's default.</summary>
    public string? X509Template { get; set; }

    /// <summary><c>options.x509.templateFile</c>: an X.509 certificate template file, or null.</summary>
    public string? X509TemplateFile { get; set; }

    /// <summary><c>options.ssh.template</c>: an SSH certificate template (inline JSON), or null for step's default.</summary>
    public string? SshTemplate { get; set; }

    /// <summary><c>policy</c>: the provisioner's own name policy as step-ca's JSON, or null.</summary>
    public JsonElement? Policy { get; set; }

    /// <summary>The entry these options stand for, in ca.json form.</summary>
    /// <param name="type">The provisioner type.</param>
    /// <param name="name">The provisioner name.</param>
    /// <exception cref="CaConfigException">A common member is invalid.</exception>
    public ProvisionerConfig ToEntry(string type, string name)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("name", name);
            WriteMembers(writer);
            if (Claims is { } claims)
            {
                writer.WritePropertyName("claims");
                claims.WriteTo(writer);
            }
            WriteTemplateOptions(writer);
            if (Policy is { } policy)
            {
                writer.WritePropertyName("policy");
                policy.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return ProvisionerConfig.FromJson(document.RootElement.Clone());
    }

    /// <summary>Writes the type's own members of the entry (after <c>type</c> and <c>name</c>).</summary>
    protected virtual void WriteMembers(Utf8JsonWriter writer)
    {
    }

    private void WriteTemplateOptions(Utf8JsonWriter writer)
    {
        if (X509Template is null && X509TemplateFile is null && SshTemplate is null)
        {
            return;
        }
        writer.WriteStartObject("options");
        if (X509Template is not null || X509TemplateFile is not null)
        {
            writer.WriteStartObject("x509");
            if (X509Template is { } template)
            {
                writer.WriteString("template", template);
            }
            if (X509TemplateFile is { } file)
            {
                writer.WriteString("templateFile", file);
            }
            writer.WriteEndObject();
        }
        if (SshTemplate is { } ssh)
        {
            writer.WriteStartObject("ssh");
            writer.WriteString("template", ssh);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
