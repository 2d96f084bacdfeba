using System.Buffers.Binary;
using System.Text;

namespace Smallstep.Pki.Kms.Soft.OpenSsh;

/// <summary>Reads SSH wire types (RFC 4251 §5): uint32, string, mpint. Bounds-checked.</summary>
internal ref struct SshWireReader
{
    private ReadOnlySpan<byte> _rest;

    public SshWireReader(ReadOnlySpan<byte> data) => _rest = data;

    public readonly bool HasData => !_rest.IsEmpty;

    public readonly ReadOnlySpan<byte> Remaining => _rest;

    public uint ReadUInt32()
    {
        if (_rest.Length < 4)
        {
            throw Truncated();
        }
        var value = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[4..];
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadUInt32();
        if (length > (uint)_rest.Length)
        {
            throw Truncated();
        }
        var value = _rest[..(int)length];
        _rest = _rest[(int)length..];
        return value;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>A non-negative mpint as unsigned big-endian bytes without leading zeros.</summary>
    public ReadOnlySpan<byte> ReadPositiveMpint()
    {
        var value = ReadBytes();
        if (!value.IsEmpty && (value[0] & 0x80) != 0)
        {
            throw new KeyFormatException("OpenSSH key has a negative integer");
        }
        return value.TrimStart((byte)0);
    }

    private static KeyFormatException Truncated() => new("OpenSSH private key is truncated");
}
