namespace Smallstep.Pki.Ssh;

/// <summary>
/// The fields of an OpenSSH certificate blob (PROTOCOL.certkeys, "New public key formats"):
/// <c>string type, string nonce, &lt;public key fields&gt;, uint64 serial, uint32 type, string key id,
/// string valid principals, uint64 valid after, uint64 valid before, string critical options,
/// string extensions, string reserved, string signature key, string signature</c>. The signature is
/// not checked: the reader is for certificates this CA (or step-ca) stored. Immutable.
/// </summary>
public sealed class SshCertificateFields
{
    /// <summary>Blobs larger than this are not parsed (RSA 16384-bit certificates stay far below).</summary>
    public const int MaxLength = 64 * 1024;

    // Certificate key type → (plain key type, number of public-key fields) from PROTOCOL.certkeys.
    private static readonly Dictionary<string, (string Plain, int Fields)> KeyTypes = new(StringComparer.Ordinal)
    {
        ["ssh-rsa-cert-v01@openssh.com"] = ("ssh-rsa", 2),                    // mpint e, mpint n
        ["ssh-dss-cert-v01@openssh.com"] = ("ssh-dss", 4),                    // mpint p, q, g, y
        ["ecdsa-sha2-nistp256-cert-v01@openssh.com"] = ("ecdsa-sha2-nistp256", 2), // string curve, string Q
        ["ecdsa-sha2-nistp384-cert-v01@openssh.com"] = ("ecdsa-sha2-nistp384", 2),
        ["ecdsa-sha2-nistp521-cert-v01@openssh.com"] = ("ecdsa-sha2-nistp521", 2),
        ["ssh-ed25519-cert-v01@openssh.com"] = ("ssh-ed25519", 1),            // string pk
        ["sk-ecdsa-sha2-nistp256-cert-v01@openssh.com"] = ("sk-ecdsa-sha2-nistp256@openssh.com", 3), // curve, Q, application
        ["sk-ssh-ed25519-cert-v01@openssh.com"] = ("sk-ssh-ed25519@openssh.com", 2),                 // pk, application
    };

    private SshCertificateFields(string certificateType, ulong serial, uint type, string keyId, IReadOnlyList<string> principals, ulong validAfter, ulong validBefore, string fingerprint)
    {
        KeyType = certificateType;
        Serial = serial;
        CertificateType = type switch { 1 => "user", 2 => "host", _ => type.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        KeyId = keyId;
        Principals = principals;
        NotBefore = ToTime(validAfter);
        NotAfter = ToTime(validBefore);
        Fingerprint = fingerprint;
    }

    /// <summary>The certificate key type, e.g. <c>ssh-ed25519-cert-v01@openssh.com</c>.</summary>
    public string KeyType { get; }

    /// <summary>The serial.</summary>
    public ulong Serial { get; }

    /// <summary><c>user</c> (1) or <c>host</c> (2); another number as text.</summary>
    public string CertificateType { get; }

    /// <summary>The key ID.</summary>
    public string KeyId { get; }

    /// <summary>The valid principals (empty: any).</summary>
    public IReadOnlyList<string> Principals { get; }

    /// <summary><c>valid after</c>.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary><c>valid before</c>; <see cref="DateTimeOffset.MaxValue"/> for "forever" (all ones) or beyond year 9999.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>SHA-256 of the certified public key in <c>ssh-keygen -l</c> form (<c>SHA256:</c> + unpadded base64).</summary>
    public string Fingerprint { get; }

    /// <summary>Parses a certificate blob.</summary>
    /// <exception cref="FormatException">Not an OpenSSH certificate of a known key type, or truncated.</exception>
    public static SshCertificateFields Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length > MaxLength)
        {
            throw new FormatException($"SSH certificate is {blob.Length} bytes; at most {MaxLength} are parsed");
        }
        var reader = new SshWireReader(blob);
        var certificateType = reader.ReadText();
        if (!KeyTypes.TryGetValue(certificateType, out var key))
        {
            throw new FormatException($"unknown SSH certificate type \"{Printable(certificateType)}\"");
        }
        reader.ReadString(); // nonce
        var keyFieldsStart = reader.Position;
        for (var i = 0; i < key.Fields; i++)
        {
            reader.ReadString();
        }
        var keyFieldsEnd = reader.Position;
        var serial = reader.ReadUInt64();
        var type = reader.ReadUInt32();
        var keyId = reader.ReadText();
        var principals = ReadPrincipals(reader.ReadString());
        var validAfter = reader.ReadUInt64();
        var validBefore = reader.ReadUInt64();
        var fingerprint = KeyFingerprint(key.Plain, blob[keyFieldsStart..keyFieldsEnd]);
        return new SshCertificateFields(certificateType, serial, type, keyId, principals, validAfter, validBefore, fingerprint);
    }

    private static List<string> ReadPrincipals(ReadOnlySpan<byte> packed)
    {
        var principals = new List<string>();
        var reader = new SshWireReader(packed);
        while (reader.HasData)
        {
            principals.Add(reader.ReadText());
        }
        return principals;
    }

    // The plain public key blob is string(plain type) followed by the key fields exactly as they
    // appear in the certificate (OpenSSH sshkey_fingerprint hashes the plain key of a certificate).
    private static string KeyFingerprint(string plainType, ReadOnlySpan<byte> keyFields) =>
        SshPublicKey.FingerprintOf(new SshWireWriter().String(plainType).Raw(keyFields).ToArray());

    private static DateTimeOffset ToTime(ulong seconds) =>
        seconds >= (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds((long)seconds);

    private static string Printable(string text) => new(text.Take(60).Where(c => !char.IsControl(c)).ToArray());
}
