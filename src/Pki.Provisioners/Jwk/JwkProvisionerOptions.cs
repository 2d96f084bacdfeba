using System.Text.Json;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Jwk;

/// <summary>A JWK provisioner added in code (the members of its ca.json entry), as named options.</summary>
public sealed class JwkProvisionerOptions : ProvisionerOptions
{
    /// <summary>The public key that verifies tokens (<c>key</c>); required, with a <c>kid</c>.</summary>
    public JsonWebKey? Key { get; set; }

    /// <summary>The password-encrypted private key served to clients (<c>encryptedKey</c>), optional.</summary>
    public string? EncryptedKey { get; set; }

    /// <inheritdoc />
    protected override void WriteMembers(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Key is { } key)
        {
            writer.WritePropertyName("key");
            key.ToPublic().WriteTo(writer);
        }
        if (EncryptedKey is { } encrypted)
        {
            writer.WriteString("encryptedKey", encrypted);
        }
    }
}
