using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Smallstep.Pki.Go;

/// <summary>
/// Writes JSON byte for byte as Go's <c>encoding/json</c> does, in the layout and escaping a
/// <see cref="GoJsonFormat"/> names. Callers write with an ordinary <see cref="Utf8JsonWriter"/>, in
/// Go's member order and with Go's <c>omitempty</c> choices (<see cref="GoJsonWriterExtensions"/>); the
/// draft is then re-emitted token by token with Go's escaping (<see cref="GoJsonString"/>), so no
/// System.Text.Json escaping (upper-case hex, escaped non-BMP characters) leaks into the output.
/// Number tokens are copied verbatim. Thread-safe (stateless).
/// </summary>
/// <remarks>
/// A string System.Text.Json could not encode (a lone UTF-16 surrogate) comes out as Go writes
/// invalid UTF-8: <c>\ufffd</c>.
/// </remarks>
public static class GoJsonEncoder
{
    private const int MaxDepth = 256;

    private static readonly JsonWriterOptions DraftOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = MaxDepth,
    };

    private static readonly JsonReaderOptions DraftReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Runs <paramref name="write"/> and returns Go's encoding of the one value it wrote.</summary>
    public static byte[] Encode(Action<Utf8JsonWriter> write, GoJsonFormat format)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(format);
        var draft = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(draft, DraftOptions))
        {
            write(writer);
        }
        var output = new ArrayBufferWriter<byte>(draft.WrittenCount + 64);
        Reformat(draft.WrittenSpan, output, format);
        if (format.TrailingNewline)
        {
            output.Write("\n"u8);
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary><see cref="Encode"/> as text.</summary>
    public static string EncodeToString(Action<Utf8JsonWriter> write, GoJsonFormat format) =>
        Encoding.UTF8.GetString(Encode(write, format));

    private static void Reformat(ReadOnlySpan<byte> draft, ArrayBufferWriter<byte> output, GoJsonFormat format)
    {
        var reader = new Utf8JsonReader(draft, DraftReaderOptions);
        var needsComma = false;
        var openedEmpty = false; // just wrote { or [: the newline waits until the container proves non-empty
        var depth = 0;
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                depth--;
                if (!openedEmpty)
                {
                    NewLine(output, format, depth);
                }
                output.Write(token == JsonTokenType.EndObject ? "}"u8 : "]"u8);
                needsComma = true;
                openedEmpty = false;
                continue;
            }
            if (openedEmpty)
            {
                NewLine(output, format, depth);
                openedEmpty = false;
            }
            else if (needsComma)
            {
                output.Write(","u8);
                NewLine(output, format, depth);
            }
            needsComma = false;
            switch (token)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    output.Write(token == JsonTokenType.StartObject ? "{"u8 : "["u8);
                    depth++;
                    openedEmpty = true;
                    break;
                case JsonTokenType.PropertyName:
                    WriteString(ref reader, output, format);
                    output.Write(format.Indent is null ? ":"u8 : ": "u8);
                    break;
                case JsonTokenType.String:
                    WriteString(ref reader, output, format);
                    needsComma = true;
                    break;
                default:
                    // Numbers, true, false, null: copied as written.
                    output.Write(reader.ValueSpan);
                    needsComma = true;
                    break;
            }
        }
    }

    private static void NewLine(ArrayBufferWriter<byte> output, GoJsonFormat format, int depth)
    {
        if (format.Indent is null)
        {
            return;
        }
        output.Write("\n"u8);
        for (var i = 0; i < depth; i++)
        {
            Encoding.UTF8.GetBytes(format.Indent, output);
        }
    }

    private static void WriteString(ref Utf8JsonReader reader, ArrayBufferWriter<byte> output, GoJsonFormat format)
    {
        if (!reader.ValueIsEscaped)
        {
            GoJsonString.Write(reader.ValueSpan, output, format);
            return;
        }
        // An unescaped string is never longer than its escaped form.
        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = Unescape(reader.ValueSpan, rented);
            GoJsonString.Write(rented.AsSpan(0, length), output, format);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // JSON unescaping into UTF-8, except that what System.Text.Json wrote for text it could not
    // encode (an escaped U+FFFD, or an escaped lone surrogate from a raw value) becomes a byte that is
    // invalid UTF-8, which GoJsonString writes as Go does: \ufffd.
    private static int Unescape(ReadOnlySpan<byte> escaped, Span<byte> output)
    {
        var length = 0;
        for (var i = 0; i < escaped.Length; i++)
        {
            var b = escaped[i];
            if (b != '\\')
            {
                output[length++] = b;
                continue;
            }
            var kind = escaped[++i];
            if (kind != 'u')
            {
                output[length++] = kind switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => kind, // \" \\ \/
                };
                continue;
            }
            var code = Hex(escaped.Slice(i + 1, 4));
            i += 4;
            if (char.IsHighSurrogate((char)code) && i + 6 < escaped.Length && escaped[i + 1] == '\\' && escaped[i + 2] == 'u'
                && Hex(escaped.Slice(i + 3, 4)) is var low && char.IsLowSurrogate((char)low))
            {
                length += new Rune((char)code, (char)low).EncodeToUtf8(output[length..]);
                i += 6;
            }
            else if (code == 0xFFFD || char.IsSurrogate((char)code))
            {
                output[length++] = GoJsonString.InvalidUtf8;
            }
            else
            {
                length += new Rune(code).EncodeToUtf8(output[length..]);
            }
        }
        return length;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            value = (value << 4) | (digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10);
        }
        return value;
    }
}
