using System.Buffers.Text;
using System.Security.Cryptography;

namespace Smallstep.Pki.TestServers.AzureKeyVault;

/// <summary>A key version in the local vault: a real key, its <c>kty</c> and version id.</summary>
internal sealed class KeyVaultKeyVersion(string version, string kty, AsymmetricAlgorithm key)
{
    public string Version { get; } = version;

    public string Kty { get; } = kty;

    public AsymmetricAlgorithm Key { get; } = key;

    /// <summary>The public JWK as Key Vault returns it (RFC 7517/7518 members, base64url).</summary>
    public Dictionary<string, object> Jwk(string kid)
    {
        var jwk = new Dictionary<string, object> { ["kid"] = kid, ["kty"] = Kty };
        switch (Key)
        {
            case ECDsa ec:
            {
                var p = ec.ExportParameters(false);
                jwk["key_ops"] = new[] { "sign", "verify" };
                jwk["crv"] = p.Curve.Oid.Value switch { "1.2.840.10045.3.1.7" => "P-256", "1.3.132.0.34" => "P-384", _ => "P-521" };
                jwk["x"] = Base64Url.EncodeToString(p.Q.X);
                jwk["y"] = Base64Url.EncodeToString(p.Q.Y);
                break;
            }
            case RSA rsa:
            {
                var p = rsa.ExportParameters(false);
                jwk["key_ops"] = new[] { "sign", "verify", "encrypt", "decrypt" };
                jwk["n"] = Base64Url.EncodeToString(p.Modulus);
                jwk["e"] = Base64Url.EncodeToString(p.Exponent);
                break;
            }
        }
        return jwk;
    }

    /// <summary>Signs a digest with a JOSE algorithm: ECDSA raw <c>r || s</c> (RFC 7518 §3.4), RSA PKCS#1 v1.5 or PSS; null when they do not fit.</summary>
    public byte[]? Sign(string alg, byte[] digest)
    {
        var (hash, size) = alg[2..] switch
        {
            "256" => (HashAlgorithmName.SHA256, 32),
            "384" => (HashAlgorithmName.SHA384, 48),
            "512" => (HashAlgorithmName.SHA512, 64),
            _ => (default, 0),
        };
        if (size == 0 || digest.Length != size)
        {
            return null;
        }
        return (Key, alg[..2]) switch
        {
            (ECDsa ec, "ES") when ec.KeySize == (size == 64 ? 521 : size * 8) => ec.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            (RSA rsa, "RS") => rsa.SignHash(digest, hash, RSASignaturePadding.Pkcs1),
            (RSA rsa, "PS") => rsa.SignHash(digest, hash, RSASignaturePadding.Pss),
            _ => null,
        };
    }
}
