using System.Buffers.Binary;
using System.Text;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Tests.Jwk;

/// <summary>Reads the fields of an OpenSSH certificate blob (PROTOCOL.certkeys §2) for comparisons in tests.</summary>
internal static class SshCertificateFields
{
    public static SshCertificateDescription Read(byte[] blob)
    {
        var offset = 0;
        var type = Encoding.ASCII.GetString(String(blob, ref offset));
        var nonce = String(blob, ref offset);
        var keyFields = type.StartsWith("ssh-ed25519", StringComparison.Ordinal) ? 1 : 2;
        for (var i = 0; i < keyFields; i++)
        {
            String(blob, ref offset);
        }
        var serial = BinaryPrimitives.ReadUInt64BigEndian(blob.AsSpan(offset));
        offset += 8;
        var certType = (SshCertificateType)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(offset));
        offset += 4;
        var keyId = Encoding.UTF8.GetString(String(blob, ref offset));
        var principals = Strings(String(blob, ref offset));
        var validAfter = DateTimeOffset.FromUnixTimeSeconds((long)BinaryPrimitives.ReadUInt64BigEndian(blob.AsSpan(offset)));
        var validBefore = DateTimeOffset.FromUnixTimeSeconds((long)BinaryPrimitives.ReadUInt64BigEndian(blob.AsSpan(offset + 8)));
        offset += 16;
        var critical = Options(String(blob, ref offset));
        var extensions = Options(String(blob, ref offset));
        return new SshCertificateDescription
        {
            Type = certType, KeyId = keyId, Principals = principals, ValidAfter = validAfter, ValidBefore = validBefore,
            CriticalOptions = critical, Extensions = extensions, Nonce = nonce, Serial = serial,
        };
    }

    private static byte[] String(byte[] data, ref int offset)
    {
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));
        var value = data.AsSpan(offset + 4, length).ToArray();
        offset += 4 + length;
        return value;
    }

    private static List<string> Strings(byte[] data)
    {
        var list = new List<string>();
        for (var offset = 0; offset < data.Length;)
        {
            list.Add(Encoding.UTF8.GetString(String(data, ref offset)));
        }
        return list;
    }

    private static Dictionary<string, string> Options(byte[] data)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var offset = 0; offset < data.Length;)
        {
            var name = Encoding.UTF8.GetString(String(data, ref offset));
            var value = String(data, ref offset);
            var inner = 0;
            options[name] = value.Length == 0 ? "" : Encoding.UTF8.GetString(String(value, ref inner));
        }
        return options;
    }
}
