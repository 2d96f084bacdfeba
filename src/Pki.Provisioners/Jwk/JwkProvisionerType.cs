using Smallstep.Pki.Provisioners.Jose;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Jwk;

/// <summary>
/// The <c>JWK</c> provisioner type: binds and validates an entry's <c>key</c> and <c>encryptedKey</c>
/// and lists <c>key</c>, <c>encryptedKey</c>, <c>claims</c> and <c>options</c> as step-ca's Go struct
/// marshals them (authority/provisioner/jwk.go).
/// </summary>
public static class JwkProvisionerType
{
    /// <summary>The registration (<c>AddJwkProvisioners()</c>).</summary>
    public static ProvisionerTypeRegistration Registration { get; } = new(ProvisionerTypeNames.Jwk, Create)
    {
        ExtensionTypeCode = 1,
        Listing = new ProvisionerListing(["key", "encryptedKey", "claims", "options"]),
    };

    private static JwkProvisioner Create(ProvisionerConfig config, ProvisionerBuildContext context)
    {
        var field = context.FieldPath;
        if (string.IsNullOrEmpty(config.Name))
        {
            throw Invalid(field + ".name", "provisioner name cannot be empty");
        }
        if (!config.Json.TryGetProperty("key", out var keyJson) || keyJson.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(field + ".key", "provisioner key cannot be empty");
        }
        JsonWebKey key;
        try
        {
            key = JsonWebKey.Parse(keyJson);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or JsonException or System.Security.Cryptography.CryptographicException)
        {
            throw Invalid(field + ".key", "invalid JSON Web Key: " + e.Message);
        }
        if (key.HasPrivateKey)
        {
            throw Invalid(field + ".key", "the key must be a public key; keep the private key in encryptedKey");
        }
        if (string.IsNullOrEmpty(key.KeyId))
        {
            throw Invalid(field + ".key.kid", "the key must have a key id (kid)");
        }
        string? encryptedKey = null;
        if (config.Json.TryGetProperty("encryptedKey", out var encrypted) && encrypted.ValueKind == JsonValueKind.String)
        {
            encryptedKey = encrypted.GetString();
        }
        return new JwkProvisioner(config, key, encryptedKey, context);
    }

    private static CaConfigException Invalid(string field, string message) => new("ca.json", [ConfigDiagnostic.Error(field, message)]);
}
