using System.Numerics;
using System.Security.Cryptography;
using Smallstep.Pki.Kms.Soft.Signing;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Kms.Soft.OpenSsh;

/// <summary>
/// Unencrypted <c>OPENSSH PRIVATE KEY</c> files (OpenSSH PROTOCOL.key, "openssh-key-v1") holding
/// one ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa key. step also reads bcrypt-encrypted
/// ones (pemutil/ssh.go); those are refused here with a clear message.
/// </summary>
internal static class OpenSshPrivateKey
{
    private static ReadOnlySpan<byte> Magic => "openssh-key-v1\0"u8;

    public static SoftSigner Parse(ReadOnlySpan<byte> blob)
    {
        try
        {
            return ParseWire(blob);
        }
        catch (FormatException e)
        {
            // Truncated data or a negative mpint, from the SSH wire reader.
            throw new KeyFormatException($"OpenSSH private key is malformed: {e.Message}", e);
        }
    }

    private static SoftSigner ParseWire(ReadOnlySpan<byte> blob)
    {
        if (!blob.StartsWith(Magic))
        {
            throw new KeyFormatException("not an openssh-key-v1 private key");
        }
        var reader = new SshWireReader(blob[Magic.Length..]);
        var cipher = reader.ReadText();
        var kdf = reader.ReadText();
        reader.ReadString(); // kdf options
        if (cipher != "none" || kdf != "none")
        {
            throw new KeyFormatException($"encrypted OpenSSH private keys ({cipher}/{kdf}) are not supported by softkms; use a PEM or PKCS#8 key");
        }
        if (reader.ReadUInt32() != 1)
        {
            throw new KeyFormatException("OpenSSH private key file must hold exactly one key");
        }
        reader.ReadString(); // public key, repeated in the private section
        var section = new SshWireReader(reader.ReadString());
        if (reader.HasData)
        {
            throw new KeyFormatException("trailing data after the OpenSSH private key");
        }
        if (section.ReadUInt32() != section.ReadUInt32())
        {
            throw new KeyFormatException("OpenSSH private key check integers differ (corrupted key)");
        }
        var type = section.ReadText();
        var signer = type switch
        {
            "ssh-ed25519" => ReadEd25519(ref section),
            "ecdsa-sha2-nistp256" or "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp521" => ReadEcdsa(ref section),
            "ssh-rsa" => ReadRsa(ref section),
            _ => throw new KeyFormatException($"unsupported OpenSSH key type '{type}'"),
        };
        section.ReadString(); // comment
        var padding = section.Remaining;
        for (var i = 0; i < padding.Length; i++)
        {
            if (padding[i] != i + 1)
            {
                signer.Dispose();
                throw new KeyFormatException("OpenSSH private key has bad padding (corrupted key)");
            }
        }
        return signer;
    }

    /// <summary>string public (32 bytes), string private (seed || public, 64 bytes).</summary>
    private static SoftSigner ReadEd25519(ref SshWireReader reader)
    {
        var publicKey = reader.ReadString();
        var privateKey = reader.ReadString();
        if (publicKey.Length != 32 || privateKey.Length != 64 || !privateKey[32..].SequenceEqual(publicKey))
        {
            throw new KeyFormatException("malformed OpenSSH ed25519 key");
        }
        var signer = Ed25519SoftSigner.FromSeed(privateKey[..32]);
        if (!signer.PublicKey.AsSpan().SequenceEqual(publicKey))
        {
            throw new KeyFormatException("OpenSSH ed25519 public key does not match the private key");
        }
        return signer;
    }

    /// <summary>string curve, string Q (uncompressed point), mpint d (RFC 5656 §3.1).</summary>
    private static SoftSigner ReadEcdsa(ref SshWireReader reader)
    {
        var (curve, size) = reader.ReadText() switch
        {
            "nistp256" => (ECCurve.NamedCurves.nistP256, 32),
            "nistp384" => (ECCurve.NamedCurves.nistP384, 48),
            "nistp521" => (ECCurve.NamedCurves.nistP521, 66),
            var other => throw new KeyFormatException($"unsupported OpenSSH ECDSA curve '{other}'"),
        };
        var point = reader.ReadString();
        var d = reader.ReadPositiveMpint();
        if (point.Length != 1 + (2 * size) || point[0] != 4 || d.Length > size)
        {
            throw new KeyFormatException("malformed OpenSSH ECDSA key");
        }
        var parameters = new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = point.Slice(1, size).ToArray(), Y = point.Slice(1 + size, size).ToArray() },
            D = LeftPad(d, size),
        };
        try
        {
            return EcdsaSoftSigner.Create(ECDsa.Create(parameters));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    /// <summary>mpint n, e, d, iqmp, p, q (OpenSSH sshkey.c); .NET also needs d mod (p-1), d mod (q-1).</summary>
    private static SoftSigner ReadRsa(ref SshWireReader reader)
    {
        var n = reader.ReadPositiveMpint();
        var e = reader.ReadPositiveMpint();
        var d = reader.ReadPositiveMpint();
        var iqmp = reader.ReadPositiveMpint();
        var p = reader.ReadPositiveMpint();
        var q = reader.ReadPositiveMpint();
        if (n.Length * 8 > RsaSoftSigner.MaxBits || n.IsEmpty || p.IsEmpty || q.IsEmpty)
        {
            throw new KeyFormatException("malformed or oversized OpenSSH RSA key");
        }
        var half = (n.Length + 1) / 2;
        var dValue = new BigInteger(d, isUnsigned: true, isBigEndian: true);
        var parameters = new RSAParameters
        {
            Modulus = n.ToArray(),
            Exponent = e.ToArray(),
            D = LeftPad(d, n.Length),
            P = LeftPad(p, half),
            Q = LeftPad(q, half),
            DP = LeftPad(ModMinusOne(dValue, p), half),
            DQ = LeftPad(ModMinusOne(dValue, q), half),
            InverseQ = LeftPad(iqmp, half),
        };
        return RsaSoftSigner.Create(RSA.Create(parameters));
    }

    private static byte[] ModMinusOne(BigInteger d, ReadOnlySpan<byte> prime)
    {
        var value = new BigInteger(prime, isUnsigned: true, isBigEndian: true);
        if (value < 3)
        {
            throw new KeyFormatException("malformed OpenSSH RSA key: bad prime");
        }
        return (d % (value - 1)).ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    private static byte[] LeftPad(ReadOnlySpan<byte> value, int length)
    {
        if (value.Length > length)
        {
            throw new KeyFormatException("malformed OpenSSH key: integer too long");
        }
        var padded = new byte[length];
        value.CopyTo(padded.AsSpan(length - value.Length));
        return padded;
    }
}
