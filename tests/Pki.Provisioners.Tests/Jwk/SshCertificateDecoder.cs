using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Tests.Jwk;

/// <summary>
/// Decodes every field of an OpenSSH certificate blob (PROTOCOL.certkeys §2) into a description,
/// for comparisons in tests; the wire primitives are Core's <see cref="SshWireReader"/>.
/// </summary>
internal static class SshCertificateDecoder
{
    public static SshCertificateDescription Read(byte[] blob)
    {
        var reader = new SshWireReader(blob);
        var type = reader.ReadText();
        var nonce = reader.ReadString().ToArray();
        var keyFields = type.StartsWith("ssh-ed25519", StringComparison.Ordinal) ? 1 : 2;
        for (var i = 0; i < keyFields; i++)
        {
            reader.ReadString();
        }
        var serial = reader.ReadUInt64();
        var certType = (SshCertificateType)reader.ReadUInt32();
        var keyId = reader.ReadText();
        var principals = Strings(reader.ReadString());
        var validAfter = DateTimeOffset.FromUnixTimeSeconds((long)reader.ReadUInt64());
        var validBefore = DateTimeOffset.FromUnixTimeSeconds((long)reader.ReadUInt64());
        var critical = Options(reader.ReadString());
        var extensions = Options(reader.ReadString());
        return new SshCertificateDescription
        {
            Type = certType, KeyId = keyId, Principals = principals, ValidAfter = validAfter, ValidBefore = validBefore,
            CriticalOptions = critical, Extensions = extensions, Nonce = nonce, Serial = serial,
        };
    }

    private static List<string> Strings(ReadOnlySpan<byte> data)
    {
        var list = new List<string>();
        for (var reader = new SshWireReader(data); reader.HasData;)
        {
            list.Add(reader.ReadText());
        }
        return list;
    }

    private static Dictionary<string, string> Options(ReadOnlySpan<byte> data)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var reader = new SshWireReader(data); reader.HasData;)
        {
            var name = reader.ReadText();
            var value = reader.ReadString();
            options[name] = value.IsEmpty ? "" : new SshWireReader(value).ReadText();
        }
        return options;
    }
}
