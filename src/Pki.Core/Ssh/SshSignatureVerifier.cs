using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// Verifies an SSH signature blob (RFC 4253 §6.6: <c>string format, string signature</c>) with a
/// public key: <c>ssh-ed25519</c> (RFC 8709 §6), <c>ecdsa-sha2-nistp*</c> with the curve's hash and
/// <c>mpint r, mpint s</c> (RFC 5656 §3.1.2), and RSA with <c>rsa-sha2-256</c>/<c>rsa-sha2-512</c>
/// (RFC 8332 §3). SHA-1 <c>ssh-rsa</c> signatures are refused, as OpenSSH 8.2+ refuses them for CA
/// signatures. The format must be the one the key type signs with, so one algorithm cannot be
/// passed off as another. Never throws on hostile input: false. Stateless and thread-safe.
/// </summary>
internal static class SshSignatureVerifier
{
    public static bool Verify(SshPublicKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob)
    {
        try
        {
            var reader = new SshWireReader(signatureBlob);
            if (!reader.TryReadString(out var formatBytes) || !reader.TryReadString(out var signature) || reader.HasData)
            {
                return false;
            }
            var format = System.Text.Encoding.ASCII.GetString(formatBytes);
            return (key.Type, format) switch
            {
                ("ssh-ed25519", "ssh-ed25519") => VerifyEd25519(key, data, signature),
                ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256") => VerifyEcdsa(key, data, signature, HashAlgorithmName.SHA256, 32),
                ("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384") => VerifyEcdsa(key, data, signature, HashAlgorithmName.SHA384, 48),
                ("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521") => VerifyEcdsa(key, data, signature, HashAlgorithmName.SHA512, 66),
                ("ssh-rsa", "rsa-sha2-256") => VerifyRsa(key, data, signature, HashAlgorithmName.SHA256),
                ("ssh-rsa", "rsa-sha2-512") => VerifyRsa(key, data, signature, HashAlgorithmName.SHA512),
                _ => false,
            };
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static bool VerifyEd25519(SshPublicKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64)
        {
            return false;
        }
        var spki = SshPublicKeyMaterial.ToSubjectPublicKeyInfo(key);
        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(spki, spki.Length - 32));
        verifier.BlockUpdate(data);
        return verifier.VerifySignature(signature.ToArray());
    }

    private static bool VerifyEcdsa(SshPublicKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash, int size)
    {
        var reader = new SshWireReader(signature);
        var r = reader.ReadPositiveMpint();
        var s = reader.ReadPositiveMpint();
        if (reader.HasData || r.Length > size || s.Length > size)
        {
            return false;
        }
        // IEEE P1363: r and s, each left-padded to the field size.
        var p1363 = new byte[2 * size];
        r.CopyTo(p1363.AsSpan(size - r.Length));
        s.CopyTo(p1363.AsSpan(2 * size - s.Length));
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(SshPublicKeyMaterial.ToSubjectPublicKeyInfo(key), out _);
        return ecdsa.VerifyData(data, p1363, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static bool VerifyRsa(SshPublicKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(SshPublicKeyMaterial.ToSubjectPublicKeyInfo(key), out _);
        return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
    }
}
