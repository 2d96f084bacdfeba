using System.Buffers.Binary;
using System.Text;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// Reads the SSH wire encoding (RFC 4251 §5): big-endian <c>uint32</c>/<c>uint64</c>,
/// length-prefixed <c>string</c>s and <c>mpint</c>s, as in public keys (RFC 4253 §6.6),
/// certificates (PROTOCOL.certkeys) and private key files (PROTOCOL.key). Every read checks the
/// remaining length: the <c>Read*</c> methods throw <see cref="FormatException"/>, the <c>Try*</c>
/// methods return false, and neither reads past the end. A value type over the caller's span;
/// not thread-safe.
/// </summary>
public ref struct SshWireReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private ReadOnlySpan<byte> _rest = data;

    /// <summary>Whether bytes remain.</summary>
    public readonly bool HasData => !_rest.IsEmpty;

    /// <summary>How many bytes have been read.</summary>
    public readonly int Position => _data.Length - _rest.Length;

    /// <summary>The bytes not read yet.</summary>
    public readonly ReadOnlySpan<byte> Remaining => _rest;

    /// <summary>Reads a <c>uint32</c>.</summary>
    /// <exception cref="FormatException">Fewer than 4 bytes remain.</exception>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    /// <summary>Reads a <c>uint64</c>.</summary>
    /// <exception cref="FormatException">Fewer than 8 bytes remain.</exception>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    /// <summary>Reads a <c>string</c> (or the raw contents of an <c>mpint</c>).</summary>
    /// <exception cref="FormatException">The length or the contents run past the end.</exception>
    public ReadOnlySpan<byte> ReadString() =>
        TryReadString(out var value) ? value : throw new FormatException($"SSH data is truncated: a string runs past the {_rest.Length} bytes left");

    /// <summary>Reads a <c>string</c> as UTF-8 text.</summary>
    /// <exception cref="FormatException">The string runs past the end.</exception>
    public string ReadText() => Encoding.UTF8.GetString(ReadString());

    /// <summary>Reads a non-negative <c>mpint</c> as unsigned big-endian bytes without leading zeros.</summary>
    /// <exception cref="FormatException">It runs past the end or is negative (top bit set, RFC 4251 §5).</exception>
    public ReadOnlySpan<byte> ReadPositiveMpint()
    {
        var value = ReadString();
        return !value.IsEmpty && (value[0] & 0x80) != 0
            ? throw new FormatException("SSH mpint is negative")
            : value.TrimStart((byte)0);
    }

    /// <summary>Reads a <c>string</c>; false (nothing consumed) when it would run past the end.</summary>
    public bool TryReadString(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (_rest.Length < 4)
        {
            return false;
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        if (length > (uint)(_rest.Length - 4))
        {
            return false;
        }
        value = _rest.Slice(4, (int)length);
        _rest = _rest[(4 + (int)length)..];
        return true;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length)
        {
            throw new FormatException($"SSH data is truncated: {count} bytes wanted, {_rest.Length} left");
        }
        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
