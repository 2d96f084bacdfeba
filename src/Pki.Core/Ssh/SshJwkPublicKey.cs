using System.Security.Cryptography;
using System.Text.Json;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// The SSH form of a public JWK (RFC 7517/7518/8037) as ca.json <c>ssh.keys[].key</c> holds it
/// (authority/config/ssh.go <c>SSHPublicKey.Validate</c>: <c>ssh.NewPublicKey(jwk.Key)</c>):
/// EC P-256/P-384/P-521, OKP Ed25519 and RSA.
/// </summary>
public static class SshJwkPublicKey
{
    /// <summary>Converts a public JWK object.</summary>
    /// <exception cref="PkiException">BadRequest: not a public key of a supported type, or malformed.</exception>
    public static SshPublicKey Parse(JsonElement jwk)
    {
        try
        {
            if (jwk.ValueKind != JsonValueKind.Object || jwk.TryGetProperty("d", out _))
            {
                throw PkiException.BadRequest("invalid key type, it must be a public key");
            }
            return Member(jwk, "kty") switch
            {
                "EC" => FromSpki(EcSpki(jwk)),
                "OKP" when Member(jwk, "crv") == "Ed25519" => SshPublicKey.Parse(new SshWireWriter().String("ssh-ed25519").String(Bytes(jwk, "x")).ToArray()),
                "RSA" => FromSpki(RsaSpki(jwk)),
                var kty => throw PkiException.BadRequest($"unsupported key type {kty}"),
            };
        }
        catch (Exception e) when (e is CryptographicException or FormatException or InvalidOperationException)
        {
            throw PkiException.BadRequest("error creating ssh key: " + e.Message, e);
        }
    }

    private static byte[] EcSpki(JsonElement jwk)
    {
        var curve = Member(jwk, "crv") switch
        {
            "P-256" => ECCurve.NamedCurves.nistP256,
            "P-384" => ECCurve.NamedCurves.nistP384,
            "P-521" => ECCurve.NamedCurves.nistP521,
            var crv => throw PkiException.BadRequest($"unsupported elliptic curve {crv}"),
        };
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = Bytes(jwk, "x"), Y = Bytes(jwk, "y") } });
        return ecdsa.ExportSubjectPublicKeyInfo();
    }

    private static byte[] RsaSpki(JsonElement jwk)
    {
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Bytes(jwk, "n"), Exponent = Bytes(jwk, "e") });
        return rsa.ExportSubjectPublicKeyInfo();
    }

    // FromSubjectPublicKeyInfo reports unsupported input as an internal error; here it is the
    // configuration's fault.
    private static SshPublicKey FromSpki(byte[] spki) => SshPublicKey.Parse(SshPublicKey.FromSubjectPublicKeyInfo(spki).Blob.Span);

    private static string? Member(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Bytes(JsonElement jwk, string name)
    {
        var text = Member(jwk, name) ?? throw PkiException.BadRequest($"missing {name}");
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
