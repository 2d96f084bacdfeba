using System.Security.Cryptography;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Provisioners.SshPop;

/// <summary>
/// The key an SSHPOP token must be signed with: the certified key of the SSH certificate in its
/// header, as a JWK (sshpop.go: <c>ssh.CryptoPublicKey</c> of the certificate key). Ed25519, ECDSA
/// P-256/384/521 and RSA; FIDO (<c>sk-</c>) keys cannot sign tokens.
/// </summary>
internal static class SshPopSignerKey
{
    /// <exception cref="PkiException">Unauthorized: a key type that cannot sign a token.</exception>
    public static JsonWebKey Of(SshPublicKey key)
    {
        byte[] spki;
        try
        {
            spki = SshPublicKeyMaterial.ToSubjectPublicKeyInfo(key);
        }
        catch (PkiException e)
        {
            throw PkiException.Unauthorized("sshpop.authorizeToken; sshpop public key could not be used to verify the token", e);
        }
        switch (key.Type)
        {
            case "ssh-ed25519":
                return JsonWebKey.FromEd25519(spki[^32..]);
            case "ssh-rsa":
            {
                using var rsa = RSA.Create();
                rsa.ImportSubjectPublicKeyInfo(spki, out _);
                return JsonWebKey.FromRsa(rsa);
            }
            default:
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
                return JsonWebKey.FromEcdsa(ecdsa);
            }
        }
    }
}
