using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Tests.SshPop;

/// <summary>
/// A key pair a certificate is issued for, which then signs SSHPOP tokens (JWS) with its JOSE
/// algorithm: ES256/ES384/ES512 by curve, RS256, or EdDSA (BouncyCastle, as the platform has no Ed25519).
/// </summary>
internal sealed class SshPopKey : IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly Ed25519PrivateKeyParameters? _ed25519;

    private SshPopKey(string kind)
    {
        switch (kind)
        {
            case "p256" or "p384" or "p521":
                _ecdsa = ECDsa.Create(kind switch { "p256" => ECCurve.NamedCurves.nistP256, "p384" => ECCurve.NamedCurves.nistP384, _ => ECCurve.NamedCurves.nistP521 });
                Algorithm = kind switch { "p256" => "ES256", "p384" => "ES384", _ => "ES512" };
                PublicKey = SshPublicKey.FromSubjectPublicKeyInfo(_ecdsa.ExportSubjectPublicKeyInfo());
                break;
            case "rsa":
                _rsa = RSA.Create(2048);
                Algorithm = "RS256";
                PublicKey = SshPublicKey.FromSubjectPublicKeyInfo(_rsa.ExportSubjectPublicKeyInfo());
                break;
            default:
                _ed25519 = new Ed25519PrivateKeyParameters(new SecureRandom());
                Algorithm = "EdDSA";
                PublicKey = SshPublicKey.Parse(new SshWireWriter().String("ssh-ed25519").String(_ed25519.GeneratePublicKey().GetEncoded()).ToArray());
                break;
        }
    }

    /// <summary>The JOSE algorithm this key signs with.</summary>
    public string Algorithm { get; }

    /// <summary>The SSH public key.</summary>
    public SshPublicKey PublicKey { get; }

    /// <summary>A new key: <c>p256</c>, <c>p384</c>, <c>p521</c>, <c>rsa</c> or <c>ed25519</c>.</summary>
    public static SshPopKey Create(string kind = "p256") => new(kind);

    /// <summary>The JWS signature of <paramref name="input"/> (RFC 7518 §3.4: ECDSA as r||s).</summary>
    public byte[] Sign(byte[] input)
    {
        if (_ecdsa is not null)
        {
            var hash = Algorithm switch { "ES256" => HashAlgorithmName.SHA256, "ES384" => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
            return _ecdsa.SignData(input, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        if (_rsa is not null)
        {
            return _rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        var signer = new Ed25519Signer();
        signer.Init(true, _ed25519);
        signer.BlockUpdate(input, 0, input.Length);
        return signer.GenerateSignature();
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
