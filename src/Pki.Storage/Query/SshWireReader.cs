using System.Buffers.Binary;

namespace Smallstep.Pki.Storage.Query;

/// <summary>
/// Reads the SSH wire encoding (RFC 4251 §5): big-endian <c>uint32</c>/<c>uint64</c> and
/// length-prefixed <c>string</c>s. Every read checks the remaining length and throws
/// <see cref="FormatException"/> instead of reading past the end.
/// </summary>
internal ref struct SshWireReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private ReadOnlySpan<byte> _rest = data;

    /// <summary>Whether bytes remain.</summary>
    public readonly bool HasData => !_rest.IsEmpty;

    /// <summary>How many bytes have been read.</summary>
    public readonly int Position => _data.Length - _rest.Length;

    /// <summary>Reads a <c>uint32</c>.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    /// <summary>Reads a <c>uint64</c>.</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    /// <summary>Reads a <c>string</c> (or <c>mpint</c>) and returns its contents.</summary>
    public ReadOnlySpan<byte> ReadString()
    {
        var length = ReadUInt32();
        if (length > _rest.Length)
        {
            throw new FormatException($"SSH string of {length} bytes with only {_rest.Length} left");
        }
        return Take((int)length);
    }

    /// <summary>Reads a <c>string</c> that must be UTF-8 text.</summary>
    public string ReadText() => System.Text.Encoding.UTF8.GetString(ReadString());

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length)
        {
            throw new FormatException("SSH data ends early");
        }
        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
