using System.Buffers;
using System.Text;

namespace Smallstep.Pki.Go;

/// <summary>
/// Go's JSON string escaping (encoding/json encode.go <c>appendString</c>): <c>\"</c> <c>\\</c>
/// <c>\n</c> <c>\r</c> <c>\t</c>; other bytes below 0x20 as <c>\u00xx</c> in lower-case hex (Go 1.22+
/// writes <c>\b</c> <c>\f</c>); with HTML escaping <c>&lt; &gt; &amp;</c> as <c>\u003c</c> and friends;
/// U+2028 and U+2029 always escaped; each invalid UTF-8 byte as <c>\ufffd</c>; everything else, DEL
/// and all valid non-ASCII included, literally. Thread-safe (stateless).
/// </summary>
public static class GoJsonString
{
    /// <summary>Writes <paramref name="utf8"/> quoted and escaped.</summary>
    public static void Write(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output, GoJsonFormat format)
    {
        output.Write("\""u8);
        var start = 0;
        var i = 0;
        while (i < utf8.Length)
        {
            var b = utf8[i];
            if (b < 0x80)
            {
                if (b >= 0x20 && b != '"' && b != '\\' && !(format.EscapeHtml && b is (byte)'<' or (byte)'>' or (byte)'&'))
                {
                    i++;
                    continue;
                }
                output.Write(utf8[start..i]);
                WriteAsciiEscape(b, output, format);
                start = ++i;
                continue;
            }
            var status = Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                // Go's utf8.DecodeRune reports each invalid byte on its own.
                output.Write(utf8[start..i]);
                output.Write("\\ufffd"u8);
                start = ++i;
                continue;
            }
            if (rune.Value is 0x2028 or 0x2029)
            {
                output.Write(utf8[start..i]);
                output.Write(rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
                start = i + consumed;
            }
            i += consumed;
        }
        output.Write(utf8[start..]);
        output.Write("\""u8);
    }

    /// <summary>Writes <paramref name="value"/> quoted and escaped; a lone surrogate (no UTF-8 form) is written as <c>\ufffd</c>.</summary>
    public static void Write(string value, IBufferWriter<byte> output, GoJsonFormat format)
    {
        var utf8 = new ArrayBufferWriter<byte>(value.Length + 8);
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) == OperationStatus.Done)
            {
                rune.EncodeToUtf8(utf8.GetSpan(4));
                utf8.Advance(rune.Utf8SequenceLength);
            }
            else
            {
                utf8.Write([InvalidUtf8]);
            }
            rest = rest[consumed..];
        }
        Write(utf8.WrittenSpan, output, format);
    }

    /// <summary>A byte that is never valid UTF-8; <see cref="Write(ReadOnlySpan{byte}, IBufferWriter{byte}, GoJsonFormat)"/> writes it as <c>\ufffd</c>.</summary>
    internal const byte InvalidUtf8 = 0xFF;

    private static void WriteAsciiEscape(byte b, IBufferWriter<byte> output, GoJsonFormat format)
    {
        switch (b)
        {
            case (byte)'"':
                output.Write("\\\""u8);
                break;
            case (byte)'\\':
                output.Write("\\\\"u8);
                break;
            case (byte)'\n':
                output.Write("\\n"u8);
                break;
            case (byte)'\r':
                output.Write("\\r"u8);
                break;
            case (byte)'\t':
                output.Write("\\t"u8);
                break;
            case (byte)'\b' when format.ShortBackspaceAndFormFeed:
                output.Write("\\b"u8);
                break;
            case (byte)'\f' when format.ShortBackspaceAndFormFeed:
                output.Write("\\f"u8);
                break;
            default:
                ReadOnlySpan<byte> hex = "0123456789abcdef"u8;
                output.Write([(byte)'\\', (byte)'u', (byte)'0', (byte)'0', hex[b >> 4], hex[b & 0xF]]);
                break;
        }
    }
}
