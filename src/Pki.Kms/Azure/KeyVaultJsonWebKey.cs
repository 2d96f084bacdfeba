using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Remote;

namespace Smallstep.Pki.Kms.Azure;

/// <summary>
/// Key Vault's JSON Web Keys (RFC 7517/7518) as step's azurekms <c>convertKey</c> reads them, and
/// the JOSE algorithm each signs with: ES256/ES384/ES512 by curve (raw <c>r || s</c>, RFC 7518
/// §3.4) and RS256 for RSA, matching <see cref="ICertificateSigner"/>'s PKCS#1 v1.5 SHA-256.
/// </summary>
internal static class KeyVaultJsonWebKey
{
    /// <summary>How a key signs: the key, the JOSE <c>alg</c>, and the curve's coordinate length for ECDSA (0 for RSA).</summary>
    public sealed record Signing(RemoteKeyDescription Key, string JoseAlgorithm, int EcdsaFieldBytes);

    /// <summary>Reads a JWK into a signing description.</summary>
    /// <exception cref="PkiException">Internal for a malformed key, NotImplemented for a key type that does not sign certificates.</exception>
    public static Signing Describe(JsonObject jwk)
    {
        var kty = jwk["kty"]?.GetValue<string>() ?? throw PkiException.Internal("invalid key: missing kty value");
        switch (kty)
        {
            case "EC" or "EC-HSM":
            {
                var crv = jwk["crv"]?.GetValue<string>() ?? throw PkiException.Internal("invalid EC key: missing crv value");
                var (curve, size, alg) = crv switch
                {
                    "P-256" => (ECCurve.NamedCurves.nistP256, 32, "ES256"),
                    "P-384" => (ECCurve.NamedCurves.nistP384, 48, "ES384"),
                    "P-521" => (ECCurve.NamedCurves.nistP521, 66, "ES512"),
                    _ => throw PkiException.NotImplemented($"invalid EC key: crv \"{crv}\" is not supported"),
                };
                var x = KeyVaultRestClient.Base64UrlMember(jwk, "x");
                var y = KeyVaultRestClient.Base64UrlMember(jwk, "y");
                if (x.Length != size || y.Length != size)
                {
                    throw PkiException.Internal("invalid EC key: x or y length is not valid");
                }
                try
                {
                    // ImportParameters checks the point is on the curve, as step's ecdh.NewPublicKey.
                    using var key = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } });
                    return new Signing(RemoteSignatureAlgorithms.Ecdsa(key.ExportSubjectPublicKeyInfo()), alg, size);
                }
                catch (CryptographicException e)
                {
                    throw PkiException.Internal($"invalid EC key: {e.Message}", e);
                }
            }
            case "RSA" or "RSA-HSM":
            {
                var n = KeyVaultRestClient.Base64UrlMember(jwk, "n");
                var e = KeyVaultRestClient.Base64UrlMember(jwk, "e");
                try
                {
                    using var key = RSA.Create(new RSAParameters { Modulus = n, Exponent = e });
                    return new Signing(RemoteSignatureAlgorithms.RsaPkcs1(key.ExportSubjectPublicKeyInfo(), HashAlgorithmName.SHA256), "RS256", 0);
                }
                catch (CryptographicException error)
                {
                    throw PkiException.Internal($"invalid RSA key: {error.Message}", error);
                }
            }
            default:
                throw PkiException.NotImplemented($"invalid key: unsupported kty \"{kty}\"");
        }
    }

    /// <summary>
    /// The <c>create</c> parameters for a new signing key, as step's <c>CreateKey</c>: EC P-256/384/521
    /// or RSA 2048/3072/4096, <c>-HSM</c> types when HSM protection is asked, <c>sign</c>/<c>verify</c> operations.
    /// </summary>
    /// <exception cref="PkiException">NotImplemented for Ed25519 or another RSA size.</exception>
    public static JsonObject CreateParameters(KeyAlgorithm algorithm, int rsaBits, bool hsm)
    {
        var parameters = new JsonObject();
        if (algorithm.IsEcdsa)
        {
            parameters["kty"] = hsm ? "EC-HSM" : "EC";
            parameters["crv"] = algorithm == KeyAlgorithm.EcdsaP256 ? "P-256" : algorithm == KeyAlgorithm.EcdsaP384 ? "P-384" : "P-521";
        }
        else if (algorithm == KeyAlgorithm.Rsa && rsaBits is 2048 or 3072 or 4096)
        {
            parameters["kty"] = hsm ? "RSA-HSM" : "RSA";
            parameters["key_size"] = rsaBits;
        }
        else
        {
            var what = algorithm == KeyAlgorithm.Rsa ? $"RSA with {rsaBits} bits" : algorithm.Name;
            throw PkiException.NotImplemented($"keyVault does not support signature algorithm {what} (supported: EcdsaP256, EcdsaP384, EcdsaP521, Rsa 2048/3072/4096)");
        }
        parameters["key_ops"] = new JsonArray("sign", "verify");
        parameters["attributes"] = new JsonObject { ["enabled"] = true };
        return parameters;
    }
}
