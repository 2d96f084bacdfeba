using System.Buffers.Binary;
using System.Text;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// Writes the SSH wire encoding (RFC 4251 §5): big-endian <c>uint32</c>/<c>uint64</c>,
/// length-prefixed <c>string</c>s and <c>mpint</c>s; the counterpart of <see cref="SshWireReader"/>.
/// Not thread-safe; one writer per blob.
/// </summary>
public sealed class SshWireWriter
{
    private readonly MemoryStream stream = new();

    /// <summary>How many bytes have been written.</summary>
    public int Length => (int)stream.Length;

    /// <summary>A <c>uint32</c>, big-endian.</summary>
    public SshWireWriter UInt32(uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        stream.Write(buffer);
        return this;
    }

    /// <summary>A <c>uint64</c>, big-endian.</summary>
    public SshWireWriter UInt64(ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
        stream.Write(buffer);
        return this;
    }

    /// <summary>A <c>string</c>: <c>uint32</c> length, then the bytes.</summary>
    public SshWireWriter String(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        stream.Write(value);
        return this;
    }

    /// <summary>A <c>string</c> holding <paramref name="value"/> as UTF-8.</summary>
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

    /// <summary>Bytes as they are, without a length (e.g. key fields copied from another blob).</summary>
    public SshWireWriter Raw(ReadOnlySpan<byte> value)
    {
        stream.Write(value);
        return this;
    }

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => stream.ToArray();
}
