using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Smallstep.Pki.Tests.X5c;

/// <summary>
/// Hand-built X5C tokens (RFC 7515 compact JWS with an <c>x5c</c> header), so tests can also make
/// the ones no client would: <c>alg: none</c>, HMAC, an algorithm that does not match the key.
/// </summary>
internal static class X5cTokens
{
    public const string Provisioner = "x5c-test";
    public const string SignAudience = "https://127.0.0.1/1.0/sign#x5c/" + Provisioner;
    public const string RevokeAudience = "https://127.0.0.1/1.0/revoke#x5c/" + Provisioner;
    public const string SshSignAudience = "https://127.0.0.1/1.0/ssh/sign#x5c/" + Provisioner;

    /// <summary>step's claims: iss, sub, aud, nbf = iat = now, exp = now + 5 min, a random jti, and sans/step when given.</summary>
    public static Dictionary<string, object?> Claims(string subject, DateTimeOffset now, string audience = SignAudience, string[]? sans = null, object? step = null,
        string issuer = Provisioner)
    {
        var claims = new Dictionary<string, object?>
        {
            ["aud"] = audience,
            ["exp"] = now.ToUnixTimeSeconds() + 300,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = issuer,
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["sub"] = subject,
        };
        if (sans is not null)
        {
            claims["sans"] = sans;
        }
        if (step is not null)
        {
            claims["step"] = step;
        }
        return claims;
    }

    /// <summary>A token with <c>x5c</c> = <paramref name="chain"/> signed by <paramref name="key"/> with ES256 (or <paramref name="algorithm"/>).</summary>
    public static string Sign(IEnumerable<X509Certificate2> chain, ECDsa key, object claims, string algorithm = "ES256") =>
        Compose(Header(chain, algorithm), claims, input => key.SignData(input, algorithm switch
        {
            "ES384" => HashAlgorithmName.SHA384,
            "ES512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        }));

    /// <summary>A token with any header members and any signature.</summary>
    public static string Compose(object header, object claims, Func<byte[], byte[]> sign)
    {
        var input = Encode(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        return input + "." + Encode(sign(Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>The header step writes: alg, typ, x5c (standard base64 DER, leaf first).</summary>
    public static Dictionary<string, object?> Header(IEnumerable<X509Certificate2> chain, string algorithm = "ES256") => new()
    {
        ["alg"] = algorithm,
        ["typ"] = "JWT",
        ["x5c"] = chain.Select(c => Convert.ToBase64String(c.RawData)).ToArray(),
    };

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
