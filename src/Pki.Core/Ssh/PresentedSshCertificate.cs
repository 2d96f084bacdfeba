using System.Globalization;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// An OpenSSH certificate a client presented (the <c>sshpop</c> header of a token), every field read
/// (PROTOCOL.certkeys §2: type, nonce, key fields, serial, type, key id, principals, validity,
/// critical options, extensions, reserved, signature key, signature) and nothing trusted until
/// <see cref="IsSignedBy"/> says a CA key signed it. Immutable and thread-safe.
/// </summary>
public sealed class PresentedSshCertificate
{
    /// <summary>Largest blob parsed, in bytes.</summary>
    public const int MaxLength = SshCertificateFields.MaxLength;

    /// <summary>x/crypto/ssh <c>CertTimeInfinity</c>: a validBefore that never passes.</summary>
    public const ulong Forever = ulong.MaxValue;

    private readonly byte[] _signedData;
    private readonly byte[] _signature;

    private PresentedSshCertificate(SshCertificate certificate, SshPublicKey subjectKey, ulong validAfter, ulong validBefore, byte[] signedData, byte[] signature)
    {
        Certificate = certificate;
        SubjectKey = subjectKey;
        ValidAfter = validAfter;
        ValidBefore = validBefore;
        _signedData = signedData;
        _signature = signature;
    }

    /// <summary>The certificate: its blob, contents and the signature key it names.</summary>
    public SshCertificate Certificate { get; }

    /// <summary>The contents (validity clamped to what <see cref="DateTimeOffset"/> holds; see <see cref="ValidAfter"/>, <see cref="ValidBefore"/>).</summary>
    public SshCertificateDescription Description => Certificate.Description;

    /// <summary>The certified key.</summary>
    public SshPublicKey SubjectKey { get; }

    /// <summary>The serial.</summary>
    public ulong Serial => Description.Serial;

    /// <summary>The serial in decimal, as step-ca stores and compares it (<c>strconv.FormatUint</c>).</summary>
    public string SerialDecimal => Serial.ToString(CultureInfo.InvariantCulture);

    /// <summary>valid after, Unix seconds as on the wire.</summary>
    public ulong ValidAfter { get; }

    /// <summary>valid before, Unix seconds as on the wire (<see cref="Forever"/>: no end).</summary>
    public ulong ValidBefore { get; }

    /// <summary>Parses a certificate blob (x/crypto/ssh <c>ParsePublicKey</c> of a certificate).</summary>
    /// <exception cref="FormatException">Not an OpenSSH certificate of a supported key type, malformed, truncated, or with trailing bytes.</exception>
    public static PresentedSshCertificate Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length > MaxLength)
        {
            throw new FormatException($"SSH certificate is {blob.Length} bytes; at most {MaxLength} are parsed");
        }
        var reader = new SshWireReader(blob);
        var certificateType = reader.ReadText();
        var (plainType, keyFields) = KeyTypeOf(certificateType);
        var nonce = reader.ReadString().ToArray();
        var keyStart = reader.Position;
        for (var i = 0; i < keyFields; i++)
        {
            reader.ReadString();
        }
        var subjectKey = Key(new SshWireWriter().String(plainType).Raw(blob[keyStart..reader.Position]).ToArray(), "certified");
        var serial = reader.ReadUInt64();
        var type = reader.ReadUInt32() switch
        {
            1 => SshCertificateType.User,
            2 => SshCertificateType.Host,
            var other => throw new FormatException($"unknown SSH certificate type {other}"),
        };
        var keyId = reader.ReadText();
        var principals = Strings(reader.ReadString());
        var validAfter = reader.ReadUInt64();
        var validBefore = reader.ReadUInt64();
        var criticalOptions = Tuples(reader.ReadString());
        var extensions = Tuples(reader.ReadString());
        var reserved = reader.ReadString().ToArray();
        var signingKey = Key(reader.ReadString(), "signature");
        var signedData = blob[..reader.Position].ToArray();
        var signature = reader.ReadString().ToArray();
        if (reader.HasData)
        {
            throw new FormatException("SSH certificate has trailing data");
        }
        var description = new SshCertificateDescription
        {
            Type = type,
            KeyId = keyId,
            Principals = principals,
            ValidAfter = Time(validAfter),
            ValidBefore = Time(validBefore),
            CriticalOptions = criticalOptions,
            Extensions = extensions,
            Nonce = nonce,
            Serial = serial,
            Reserved = reserved,
        };
        return new PresentedSshCertificate(new SshCertificate(certificateType, blob.ToArray(), description, signingKey), subjectKey, validAfter, validBefore,
            signedData, signature);
    }

    /// <summary>
    /// Whether <paramref name="caKey"/> signed this certificate: it is the signature key the
    /// certificate names and the signature over fields 1-13 verifies with it (sshpop.go
    /// <c>authorizeToken</c>; OpenSSH <c>sshkey_cert_check_authority</c>).
    /// </summary>
    public bool IsSignedBy(SshPublicKey caKey)
    {
        ArgumentNullException.ThrowIfNull(caKey);
        return caKey.Blob.Span.SequenceEqual(Certificate.SigningKey.Blob.Span) && SshSignatureVerifier.Verify(caKey, _signedData, _signature);
    }

    // PROTOCOL.certkeys §2 key types and how many key fields follow the nonce.
    private static (string Plain, int Fields) KeyTypeOf(string certificateType) => certificateType switch
    {
        "ssh-ed25519-cert-v01@openssh.com" => ("ssh-ed25519", 1),
        "ecdsa-sha2-nistp256-cert-v01@openssh.com" => ("ecdsa-sha2-nistp256", 2),
        "ecdsa-sha2-nistp384-cert-v01@openssh.com" => ("ecdsa-sha2-nistp384", 2),
        "ecdsa-sha2-nistp521-cert-v01@openssh.com" => ("ecdsa-sha2-nistp521", 2),
        "ssh-rsa-cert-v01@openssh.com" => ("ssh-rsa", 2),
        "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com" => ("sk-ecdsa-sha2-nistp256@openssh.com", 3),
        "sk-ssh-ed25519-cert-v01@openssh.com" => ("sk-ssh-ed25519@openssh.com", 2),
        _ => throw new FormatException("not a supported SSH certificate type"),
    };

    private static SshPublicKey Key(ReadOnlySpan<byte> blob, string which)
    {
        try
        {
            return SshPublicKey.Parse(blob);
        }
        catch (PkiException e)
        {
            throw new FormatException($"SSH certificate has an invalid {which} key: {e.Message}", e);
        }
    }

    private static List<string> Strings(ReadOnlySpan<byte> packed)
    {
        var list = new List<string>();
        var reader = new SshWireReader(packed);
        while (reader.HasData)
        {
            list.Add(reader.ReadText());
            if (list.Count > SshCertificateDescription.MaxPrincipals)
            {
                throw new FormatException($"SSH certificate has more than {SshCertificateDescription.MaxPrincipals} principals");
            }
        }
        return list;
    }

    // x/crypto/ssh parseTuples: (name, data) pairs in strictly increasing name order; non-empty data is itself a string.
    private static Dictionary<string, string> Tuples(ReadOnlySpan<byte> packed)
    {
        var tuples = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new SshWireReader(packed);
        string? previous = null;
        while (reader.HasData)
        {
            var name = reader.ReadText();
            var data = reader.ReadString();
            if (previous is not null && string.CompareOrdinal(name, previous) <= 0)
            {
                throw new FormatException("SSH certificate options are not in lexical order");
            }
            string value;
            if (data.IsEmpty)
            {
                value = "";
            }
            else
            {
                var inner = new SshWireReader(data);
                value = inner.ReadText();
                if (inner.HasData)
                {
                    throw new FormatException($"SSH certificate option {name} has trailing data");
                }
            }
            tuples.Add(name, value);
            previous = name;
            if (tuples.Count > SshCertificateDescription.MaxOptions)
            {
                throw new FormatException($"SSH certificate has more than {SshCertificateDescription.MaxOptions} options");
            }
        }
        return tuples;
    }

    // Go's zero time is 0 on the wire; times past year 9999 (e.g. Forever) are clamped.
    private static DateTimeOffset? Time(ulong seconds) => seconds switch
    {
        0 => null,
        >= 253402300799 => DateTimeOffset.MaxValue,
        _ => DateTimeOffset.FromUnixTimeSeconds((long)seconds),
    };
}
