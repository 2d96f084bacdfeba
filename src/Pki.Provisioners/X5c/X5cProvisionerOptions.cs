using System.Text;
using System.Text.Json;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.X5c;

/// <summary>An X5C provisioner added in code (the members of its ca.json entry), as named options.</summary>
public sealed class X5cProvisionerOptions : ProvisionerOptions
{
    /// <summary>The roots tokens must chain to, as PEM text (one or more <c>CERTIFICATE</c> blocks); required.</summary>
    public string? RootsPem { get; set; }

    /// <inheritdoc />
    protected override void WriteMembers(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (RootsPem is { } pem)
        {
            // ca.json holds Go's []byte: standard base64 of the PEM text.
            writer.WriteBase64String("roots", Encoding.UTF8.GetBytes(pem));
        }
    }
}
