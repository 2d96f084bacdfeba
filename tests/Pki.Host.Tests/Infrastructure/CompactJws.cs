using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// Hand-built compact JWS (RFC 7515 §7.1) for tokens our <see cref="TokenSigner"/> would never make:
/// other headers (<c>x5cInsecure</c>, <c>alg: none</c>, HS256) or other signers.
/// </summary>
internal static class CompactJws
{
    /// <summary><c>BASE64URL(header) . BASE64URL(claims) . BASE64URL(sign(signing input))</c>.</summary>
    public static string Compose(object header, object claims, Func<byte[], byte[]> sign)
    {
        var input = Encode(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        return input + "." + Encode(sign(Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>The claims of a step sign token (tokens.md §1.1), in the CLI's member order, valid from now for five minutes.</summary>
    public static object SignClaims(ProvisionerKey provisioner, string subject, IReadOnlyList<string> sans, string audience = ProvisionerKey.SignAudience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new
        {
            aud = audience,
            exp = now + 300,
            iat = now,
            iss = provisioner.Name,
            jti = TokenSigner.NewTokenId(),
            nbf = now,
            sans,
            sha = provisioner.RootSha,
            sub = subject,
        };
    }

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
