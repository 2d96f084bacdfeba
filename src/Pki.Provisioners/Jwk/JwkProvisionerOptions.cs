using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioners.Jwk;

/// <summary>A JWK provisioner added in code (the fields of its ca.json entry).</summary>
public sealed class JwkProvisionerOptions
{
    /// <summary>The public key that verifies tokens (<c>key</c>); required, with a <c>kid</c>.</summary>
    public JsonWebKey? Key { get; set; }

    /// <summary>The password-encrypted private key served to clients (<c>encryptedKey</c>), optional.</summary>
    public string? EncryptedKey { get; set; }

    /// <summary>Claims overriding the authority's (<c>claims</c>), optional.</summary>
    public ClaimsConfig? Claims { get; set; }
}
