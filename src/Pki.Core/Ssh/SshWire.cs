using System.Buffers.Binary;
using System.Text;

namespace Smallstep.Pki.Ssh;

/// <summary>Writes the SSH wire encoding (RFC 4251 §5): big-endian integers, length-prefixed strings, mpints.</summary>
internal sealed class SshWireWriter
{
    private readonly MemoryStream stream = new();

    public int Length => (int)stream.Length;

    public SshWireWriter UInt32(uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        stream.Write(buffer);
        return this;
    }

    public SshWireWriter UInt64(ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
        stream.Write(buffer);
        return this;
    }

    public SshWireWriter String(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        stream.Write(value);
        return this;
    }

    public SshWireWriter String(string value) => String(Encoding.UTF8.GetBytes(value));

    /// <summary>An mpint from unsigned big-endian magnitude: leading zeros dropped, a zero byte added when the top bit is set.</summary>
    public SshWireWriter Mpint(ReadOnlySpan<byte> magnitude)
    {
        magnitude = magnitude.TrimStart((byte)0);
        if (!magnitude.IsEmpty && (magnitude[0] & 0x80) != 0)
        {
            UInt32((uint)magnitude.Length + 1);
            stream.WriteByte(0);
            stream.Write(magnitude);
            return this;
        }

        return String(magnitude);
    }

    public SshWireWriter Raw(ReadOnlySpan<byte> value)
    {
        stream.Write(value);
        return this;
    }

    public byte[] ToArray() => stream.ToArray();
}

/// <summary>Reads the SSH wire encoding; every read fails (returns false) instead of running past the end.</summary>
internal ref struct SshWireReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> rest = data;

    public readonly bool AtEnd => rest.IsEmpty;

    public bool TryReadString(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (rest.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(rest);
        if (length > rest.Length - 4)
        {
            return false;
        }

        value = rest.Slice(4, (int)length);
        rest = rest[(4 + (int)length)..];
        return true;
    }
}
