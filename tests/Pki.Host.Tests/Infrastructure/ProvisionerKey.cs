using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// A JWK provisioner's private key, decrypted from ca.json's <c>encryptedKey</c> as <c>step ca token</c>
/// does, and the one-time tokens it mints with our <see cref="TokenSigner"/>.
/// </summary>
internal sealed class ProvisionerKey
{
    /// <summary>Audiences accepted for any port: the CA compares them with the port stripped (tokens.md §1).</summary>
    public const string SignAudience = "https://127.0.0.1/1.0/sign";

    /// <summary>The revoke audience.</summary>
    public const string RevokeAudience = "https://127.0.0.1/1.0/revoke";

    private ProvisionerKey(string name, JsonWebKey key, string rootSha)
    {
        Name = name;
        Key = key;
        RootSha = rootSha;
    }

    /// <summary>The provisioner name (token <c>iss</c>).</summary>
    public string Name { get; }

    /// <summary>The private JWK (its <c>kid</c> is the provisioner's key id).</summary>
    public JsonWebKey Key { get; }

    /// <summary>The <c>kid</c> tokens carry.</summary>
    public string KeyId => Key.KeyId ?? Key.Thumbprint();

    /// <summary>Hex SHA-256 of the root (the token <c>sha</c> claim; the CA ignores it).</summary>
    public string RootSha { get; }

    /// <summary>The claims of a valid token of this provisioner (valid for 5 minutes from now), to change one member.</summary>
    public JsonObject Claims(string audience, string subject, IEnumerable<string>? sans)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["aud"] = audience,
            ["exp"] = now + 300,
            ["iat"] = now,
            ["iss"] = Name,
            ["jti"] = TokenSigner.NewTokenId(),
            ["nbf"] = now,
            ["sha"] = RootSha,
            ["sub"] = subject,
        };
        if (sans is not null)
        {
            claims["sans"] = new JsonArray([.. sans.Select(s => JsonValue.Create(s))]);
        }
        return claims;
    }

    /// <summary>Decrypts the first JWK provisioner of a ca.json.</summary>
    public static ProvisionerKey FromConfig(string configPath, string password, byte[] rootDer)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(configPath));
        var entry = config.RootElement.GetProperty("authority").GetProperty("provisioners").EnumerateArray()
            .First(p => p.GetProperty("type").GetString() == "JWK");
        var key = EncryptedKey.Decrypt(entry.GetProperty("encryptedKey").GetString()!, password);
        return new ProvisionerKey(entry.GetProperty("name").GetString()!, key, Convert.ToHexStringLower(SHA256.HashData(rootDer)));
    }

    /// <summary>A provisioner key the test made itself (e.g. for a provisioner added to ca.json).</summary>
    public static ProvisionerKey Of(string name, JsonWebKey privateKey, byte[] rootDer) =>
        new(name, privateKey, Convert.ToHexStringLower(SHA256.HashData(rootDer)));

    /// <summary>A sign token for <paramref name="subject"/> with the given SANs (default: the subject).</summary>
    public string SignToken(string subject, IReadOnlyList<string>? sans = null, string audience = SignAudience, TimeProvider? clock = null) =>
        Signer(clock: clock).Sign(Descriptor(subject, audience) with { Sans = sans ?? [subject] });

    /// <summary>A revoke token: <c>sub</c> = the serial, no SANs.</summary>
    public string RevokeToken(string serial) => Signer().Sign(Descriptor(serial, RevokeAudience));

    /// <summary>The descriptor of a sign token, for tests that change one field.</summary>
    public TokenDescriptor Descriptor(string subject, string audience = SignAudience) => new()
    {
        Issuer = Name,
        Subject = subject,
        Audience = [audience],
        Sans = [subject],
        Sha = RootSha,
    };

    /// <summary>Our signer with this key, optionally with another <c>kid</c> or clock.</summary>
    public TokenSigner Signer(string? keyId = null, TimeProvider? clock = null) => new(Key, keyId, clock);
}
