using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// An SSH public key in wire form (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4, OpenSSH
/// PROTOCOL.u2f), checked to be one step accepts as a certificate subject: Ed25519, ECDSA
/// P-256/P-384/P-521, RSA of 2048 bits or more, and the FIDO <c>sk-</c> variants. Immutable.
/// </summary>
public sealed class SshPublicKey
{
    private const int MinRsaBits = 2048;
    private const int MaxRsaBits = 16384;

    private SshPublicKey(string type, byte[] blob)
    {
        Type = type;
        Blob = blob;
    }

    /// <summary>The key type name, e.g. <c>ssh-ed25519</c>, <c>ecdsa-sha2-nistp256</c>, <c>ssh-rsa</c>.</summary>
    public string Type { get; }

    /// <summary>The whole wire blob, type name included.</summary>
    public ReadOnlyMemory<byte> Blob { get; }

    /// <summary>The certificate type name for this key (PROTOCOL.certkeys §2), e.g. <c>ssh-ed25519-cert-v01@openssh.com</c>.</summary>
    public string CertificateType => Type switch
    {
        "sk-ecdsa-sha2-nistp256@openssh.com" => "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "sk-ssh-ed25519@openssh.com" => "sk-ssh-ed25519-cert-v01@openssh.com",
        _ => Type + "-cert-v01@openssh.com",
    };

    /// <summary>OpenSSH's fingerprint: <c>SHA256:</c> and unpadded base64 of the blob's SHA-256.</summary>
    public string Fingerprint => FingerprintOf(Blob.Span);

    /// <summary>The <c>ssh-keygen -l</c> fingerprint of a public key wire blob: <c>SHA256:</c> and the unpadded base64 SHA-256.</summary>
    public static string FingerprintOf(ReadOnlySpan<byte> blob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    /// <summary>Parses and checks a wire blob.</summary>
    /// <exception cref="PkiException">BadRequest: malformed, an unsupported type (DSA), a point off the curve, or a weak RSA key.</exception>
    public static SshPublicKey Parse(ReadOnlySpan<byte> blob)
    {
        var reader = new SshWireReader(blob);
        if (!reader.TryReadString(out var typeBytes) || !IsAscii(typeBytes))
        {
            throw PkiException.BadRequest("invalid ssh public key");
        }

        var type = Encoding.ASCII.GetString(typeBytes);
        var ok = type switch
        {
            "ssh-ed25519" => Ed25519(ref reader),
            "sk-ssh-ed25519@openssh.com" => Ed25519(ref reader) && reader.TryReadString(out _),
            "ecdsa-sha2-nistp256" or "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp521" => Ecdsa(ref reader, type["ecdsa-sha2-".Length..]),
            "sk-ecdsa-sha2-nistp256@openssh.com" => Ecdsa(ref reader, "nistp256") && reader.TryReadString(out _),
            "ssh-rsa" => Rsa(ref reader),
            "ssh-dss" => throw PkiException.BadRequest("ssh public key type ssh-dss is not supported"),
            _ => throw PkiException.BadRequest($"unsupported ssh public key type {(type.Length <= 64 ? type : type[..64])}"),
        };
        return ok && !reader.HasData ? new SshPublicKey(type, blob.ToArray()) : throw PkiException.BadRequest($"invalid {type} public key");
    }

    /// <summary>Parses an <c>authorized_keys</c> style line: <c>type base64 [comment]</c>.</summary>
    /// <exception cref="PkiException">BadRequest: not such a line, or the key is not accepted (see <see cref="Parse"/>).</exception>
    public static SshPublicKey ParseAuthorizedKey(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        var blob = new byte[fields.Length >= 2 ? fields[1].Length : 0];
        if (fields.Length < 2 || !Convert.TryFromBase64String(fields[1], blob, out var written))
        {
            throw PkiException.BadRequest("invalid ssh public key");
        }

        var key = Parse(blob.AsSpan(0, written));
        return key.Type == fields[0] ? key : throw PkiException.BadRequest("ssh public key type does not match its blob");
    }

    /// <summary>The wire form of a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): EC P-256/384/521, RSA or Ed25519, e.g. a CA signer's key.</summary>
    /// <exception cref="PkiException">Internal: another algorithm or curve.</exception>
    public static SshPublicKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        var (oid, parameter) = AlgorithmOf(subjectPublicKeyInfo);
        var writer = new SshWireWriter();
        switch (oid)
        {
            case "1.3.101.112":
                writer.String("ssh-ed25519").String(subjectPublicKeyInfo[^32..]);
                break;
            case "1.2.840.113549.1.1.1":
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
                    var p = rsa.ExportParameters(false);
                    writer.String("ssh-rsa").Mpint(p.Exponent).Mpint(p.Modulus);
                }

                break;
            case "1.2.840.10045.2.1":
                var curve = parameter switch
                {
                    "1.2.840.10045.3.1.7" => "nistp256",
                    "1.3.132.0.34" => "nistp384",
                    "1.3.132.0.35" => "nistp521",
                    _ => throw PkiException.Internal($"unsupported elliptic curve {parameter} for ssh"),
                };
                using (var ecdsa = ECDsa.Create())
                {
                    ecdsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
                    var q = ecdsa.ExportParameters(false).Q;
                    writer.String("ecdsa-sha2-" + curve).String(curve).String([4, .. q.X!, .. q.Y!]);
                }

                break;
            default:
                throw PkiException.Internal($"unsupported key algorithm {oid} for ssh");
        }

        return Parse(writer.ToArray());
    }

    /// <summary>The <c>authorized_keys</c> form: <c>type base64</c>.</summary>
    public string ToAuthorizedKey() => Type + " " + Convert.ToBase64String(Blob.Span);

    private static bool Ed25519(ref SshWireReader reader) => reader.TryReadString(out var key) && key.Length == 32;

    private static bool Ecdsa(ref SshWireReader reader, string curve)
    {
        if (!reader.TryReadString(out var name) || !name.SequenceEqual(Encoding.ASCII.GetBytes(curve)) || !reader.TryReadString(out var point))
        {
            return false;
        }

        var size = curve switch { "nistp256" => 32, "nistp384" => 48, _ => 66 };
        if (point.Length != 1 + 2 * size || point[0] != 4)
        {
            return false;
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = curve switch { "nistp256" => ECCurve.NamedCurves.nistP256, "nistp384" => ECCurve.NamedCurves.nistP384, _ => ECCurve.NamedCurves.nistP521 },
                Q = new ECPoint { X = point.Slice(1, size).ToArray(), Y = point.Slice(1 + size, size).ToArray() },
            });
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool Rsa(ref SshWireReader reader)
    {
        if (!reader.TryReadString(out var e) || !reader.TryReadString(out var n) || e.IsEmpty || n.IsEmpty || (e[0] & 0x80) != 0 || (n[0] & 0x80) != 0)
        {
            return false;
        }

        var exponent = new BigInteger(e, isUnsigned: true, isBigEndian: true);
        var bits = new BigInteger(n, isUnsigned: true, isBigEndian: true).GetBitLength();
        if (bits < MinRsaBits || bits > MaxRsaBits)
        {
            throw PkiException.BadRequest($"ssh-rsa keys must have {MinRsaBits} to {MaxRsaBits} bits, this one has {bits}");
        }

        // x/crypto/ssh parseRSA: an odd exponent of at least 3 and at most 24 bits.
        return exponent.GetBitLength() <= 24 && exponent >= 3 && !exponent.IsEven;
    }

    private static (string Oid, string? Parameter) AlgorithmOf(ReadOnlySpan<byte> spki)
    {
        try
        {
            var outer = new AsnReader(spki.ToArray(), AsnEncodingRules.DER).ReadSequence();
            var algorithm = outer.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            string? parameter = null;
            if (algorithm.HasData && algorithm.PeekTag() == Asn1Tag.ObjectIdentifier)
            {
                parameter = algorithm.ReadObjectIdentifier();
            }

            return (oid, parameter);
        }
        catch (AsnContentException e)
        {
            throw PkiException.Internal("invalid SubjectPublicKeyInfo", e);
        }
    }

    private static bool IsAscii(ReadOnlySpan<byte> bytes) => bytes.Length is > 0 and <= 64 && System.Text.Ascii.IsValid(bytes);
}
