using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// Produces JSON byte-for-byte as Go's <c>json.NewEncoder(w).Encode(v)</c> writes it, which is what
/// step-ca's <c>api/render.JSONStatus</c> sends: compact, a trailing <c>"\n"</c>, and Go's string
/// escaping (encoding/json <c>encodeState.string</c> with <c>escapeHTML</c> on, Go 1.19 as in the
/// 0.19 fixtures): <c>\"</c> <c>\\</c> <c>\n</c> <c>\r</c> <c>\t</c>; other bytes below 0x20 and
/// <c>&lt;</c> <c>&gt;</c> <c>&amp;</c> as <c>\u00xx</c> (lower-case hex); U+2028/U+2029 as
/// <c>\u2028</c>/<c>\u2029</c>; invalid UTF-8 bytes as <c>\ufffd</c>; everything else (including
/// <c>+</c>, <c>'</c>, DEL and all other non-ASCII) literally.
/// </summary>
/// <remarks>
/// Callers (and <see cref="Smallstep.Pki.Provisioning.IProvisionerCatalog.WriteListing"/>) write with an ordinary
/// <see cref="Utf8JsonWriter"/>; the draft is then re-emitted token by token with Go's escaping, so
/// no writer-specific escaping (System.Text.Json escapes non-BMP characters, for instance) can leak
/// into the wire format. Number tokens are copied verbatim.
/// </remarks>
internal static class GoJson
{
    private const int MaxDepth = 256;

    private static readonly JsonWriterOptions DraftOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = MaxDepth,
    };

    private static readonly JsonReaderOptions DraftReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Runs <paramref name="write"/> and returns Go's encoding of what it wrote, with the trailing newline.</summary>
    public static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var draft = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(draft, DraftOptions))
        {
            write(writer);
        }
        var output = new ArrayBufferWriter<byte>(draft.WrittenCount + 64);
        Reformat(draft.WrittenSpan, output);
        output.Write("\n"u8);
        return output.WrittenSpan.ToArray();
    }

    private static void Reformat(ReadOnlySpan<byte> draft, ArrayBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(draft, DraftReaderOptions);
        var needsComma = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    WriteComma(output, ref needsComma);
                    output.Write(reader.TokenType == JsonTokenType.StartObject ? "{"u8 : "["u8);
                    break;
                case JsonTokenType.EndObject:
                    output.Write("}"u8);
                    needsComma = true;
                    break;
                case JsonTokenType.EndArray:
                    output.Write("]"u8);
                    needsComma = true;
                    break;
                case JsonTokenType.PropertyName:
                    WriteComma(output, ref needsComma);
                    WriteString(ref reader, output);
                    output.Write(":"u8);
                    break;
                case JsonTokenType.String:
                    WriteComma(output, ref needsComma);
                    WriteString(ref reader, output);
                    needsComma = true;
                    break;
                default:
                    // Numbers, true, false, null: copied as written.
                    WriteComma(output, ref needsComma);
                    output.Write(reader.ValueSpan);
                    needsComma = true;
                    break;
            }
        }
    }

    private static void WriteComma(ArrayBufferWriter<byte> output, ref bool needsComma)
    {
        if (needsComma)
        {
            output.Write(","u8);
        }
        needsComma = false;
    }

    private static void WriteString(ref Utf8JsonReader reader, ArrayBufferWriter<byte> output)
    {
        if (!reader.ValueIsEscaped)
        {
            WriteEscaped(reader.ValueSpan, output);
            return;
        }
        // An unescaped string is never longer than its escaped form.
        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(rented);
            WriteEscaped(rented.AsSpan(0, length), output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes <paramref name="utf8"/> as a quoted JSON string with Go's escaping rules.</summary>
    public static void WriteEscaped(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output)
    {
        output.Write("\""u8);
        var start = 0;
        var i = 0;
        while (i < utf8.Length)
        {
            var b = utf8[i];
            if (b < 0x80)
            {
                if (b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&')
                {
                    i++;
                    continue;
                }
                output.Write(utf8[start..i]);
                WriteAsciiEscape(b, output);
                start = ++i;
                continue;
            }
            var status = Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                // Go's utf8.DecodeRuneInString reports each invalid byte on its own.
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

    private static void WriteAsciiEscape(byte b, IBufferWriter<byte> output)
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
            default:
                ReadOnlySpan<byte> hex = "0123456789abcdef"u8;
                output.Write([(byte)'\\', (byte)'u', (byte)'0', (byte)'0', hex[b >> 4], hex[b & 0xF]]);
                break;
        }
    }
}
