using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// Mints compact JWS one-time tokens with a private <see cref="JsonWebKey"/>, in the layout of the step CLI
/// (smallstep/cli-utils <c>token/token.go</c> <c>Claims.Sign</c>): header
/// <c>{"alg","kid","typ":"JWT"}</c> and claims in sorted member order (go-jose marshals both from
/// maps), e.g. <c>aud, exp, iat, iss, jti, nbf, sans, sha, sub</c>. Thread-safe.
/// </summary>
public sealed class TokenSigner
{
    private readonly TimeProvider _time;
    private readonly string _encodedHeader;

    /// <summary>Creates a signer.</summary>
    /// <param name="privateKey">The signing key; its <c>alg</c> (or the key type's default) is used.</param>
    /// <param name="keyId">The header <c>kid</c>; default: the JWK's <c>kid</c>, else its thumbprint
    /// (the CLI sets the provisioner's <c>kid</c>, which step makes the thumbprint).</param>
    /// <param name="timeProvider">The clock for <c>iat</c>/<c>nbf</c>; default: the system clock.</param>
    /// <exception cref="ArgumentException">The key has no private part.</exception>
    public TokenSigner(JsonWebKey privateKey, string? keyId = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (!privateKey.HasPrivateKey)
        {
            throw new ArgumentException("a private JWK is required to sign tokens", nameof(privateKey));
        }
        Key = privateKey;
        KeyId = keyId ?? privateKey.KeyId ?? privateKey.Thumbprint();
        Algorithm = privateKey.SigningAlgorithm;
        _time = timeProvider ?? TimeProvider.System;
        _encodedHeader = Base64UrlCodec.Encode(JoseJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("alg", Algorithm);
            w.WriteString("kid", KeyId);
            w.WriteString("typ", "JWT");
            w.WriteEndObject();
        }));
    }

    /// <summary>The signing key.</summary>
    public JsonWebKey Key { get; }

    /// <summary>The header <c>kid</c>.</summary>
    public string KeyId { get; }

    /// <summary>The header <c>alg</c>.</summary>
    public string Algorithm { get; }

    /// <summary>A new token ID: 64 lower-case hex characters from 32 random bytes, as the CLI makes.</summary>
    public static string NewTokenId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Signs a token.</summary>
    /// <exception cref="ArgumentException">The descriptor is inconsistent (exp not after nbf, duplicate claim names).</exception>
    public string Sign(TokenDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var now = _time.GetUtcNow();
        var notBefore = descriptor.NotBefore ?? now;
        var notAfter = descriptor.NotAfter ?? notBefore + descriptor.Lifetime;
        if (notAfter <= notBefore)
        {
            throw new ArgumentException("the token must expire after it becomes valid", nameof(descriptor));
        }

        var claims = new SortedDictionary<string, Action<Utf8JsonWriter>>(StringComparer.Ordinal)
        {
            ["iss"] = w => w.WriteStringValue(descriptor.Issuer),
            ["sub"] = w => w.WriteStringValue(descriptor.Subject),
            ["exp"] = w => w.WriteNumberValue(notAfter.ToUnixTimeSeconds()),
            ["nbf"] = w => w.WriteNumberValue(notBefore.ToUnixTimeSeconds()),
            ["iat"] = w => w.WriteNumberValue(now.ToUnixTimeSeconds()),
            ["jti"] = w => w.WriteStringValue(descriptor.TokenId ?? NewTokenId()),
        };
        AddAudience(claims, descriptor.Audience);
        AddOptional(claims, "sans", descriptor.Sans, w => WriteStrings(w, descriptor.Sans!));
        AddOptional(claims, "sha", descriptor.Sha, w => w.WriteStringValue(descriptor.Sha));
        AddOptional(claims, "step", descriptor.Step, w => descriptor.Step!.Value.WriteTo(w));
        AddOptional(claims, "cnf", descriptor.ConfirmationFingerprint, w =>
        {
            w.WriteStartObject();
            w.WriteString("x5rt#S256", descriptor.ConfirmationFingerprint);
            w.WriteEndObject();
        });
        foreach (var (name, value) in descriptor.ExtraClaims ?? new Dictionary<string, JsonElement>())
        {
            if (!claims.TryAdd(name, w => value.WriteTo(w)))
            {
                throw new ArgumentException($"claim '{name}' is set twice", nameof(descriptor));
            }
        }

        var payload = JoseJson.Write(w =>
        {
            w.WriteStartObject();
            foreach (var (name, write) in claims)
            {
                w.WritePropertyName(name);
                write(w);
            }
            w.WriteEndObject();
        });
        var signingInput = _encodedHeader + "." + Base64UrlCodec.Encode(payload);
        var signature = Key.Material.Sign(Algorithm, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64UrlCodec.Encode(signature);
    }

    // cli-utils token.go: "Force aud to be a string" when there is a single audience.
    private static void AddAudience(SortedDictionary<string, Action<Utf8JsonWriter>> claims, IReadOnlyList<string> audience)
    {
        switch (audience.Count)
        {
            case 0:
                return;
            case 1:
                claims["aud"] = w => w.WriteStringValue(audience[0]);
                return;
            default:
                claims["aud"] = w => WriteStrings(w, audience);
                return;
        }
    }

    private static void AddOptional(SortedDictionary<string, Action<Utf8JsonWriter>> claims, string name, object? value, Action<Utf8JsonWriter> write)
    {
        if (value is not null)
        {
            claims[name] = write;
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
