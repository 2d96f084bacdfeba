using System.Buffers;
using System.Globalization;
using System.Text;

namespace Smallstep.Pki.Storage.GoJson;

/// <summary>
/// Writes JSON byte for byte as Go's <c>encoding/json</c> <c>Marshal</c> does, because step-ca compares
/// stored rows byte-wise (compare-and-swap with the re-marshalled old value, storage.md §1): no
/// whitespace, fields in the order written, strings escaped as Go escapes them (<c>appendString</c> in
/// encoding/json/encode.go with HTML escaping on). Not thread-safe; one writer per value.
/// </summary>
internal sealed class GoJsonWriter
{
    private const string Hex = "0123456789abcdef";
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Stack<bool> _needsComma = new();

    /// <summary>Starts an object, as a value or the property value just named.</summary>
    public GoJsonWriter BeginObject()
    {
        Raw("{");
        _needsComma.Push(false);
        return this;
    }

    /// <summary>Ends the current object.</summary>
    public GoJsonWriter EndObject()
    {
        _needsComma.Pop();
        Raw("}");
        return this;
    }

    /// <summary>Writes a property name; the next call writes its value.</summary>
    public GoJsonWriter Name(string name)
    {
        if (_needsComma.Pop())
        {
            Raw(",");
        }
        _needsComma.Push(true);
        QuotedString(name);
        Raw(":");
        return this;
    }

    /// <summary>A string property.</summary>
    public GoJsonWriter String(string name, string value)
    {
        // A Go string is never nil; a null slipping past nullable annotations is written as "".
        Name(name).QuotedString(value ?? string.Empty);
        return this;
    }

    /// <summary>A string property that Go's <c>omitempty</c> drops when empty.</summary>
    public GoJsonWriter StringOmitEmpty(string name, string? value) =>
        string.IsNullOrEmpty(value) ? this : String(name, value);

    /// <summary>An integer property.</summary>
    public GoJsonWriter Number(string name, long value)
    {
        Name(name);
        Raw(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>A boolean property.</summary>
    public GoJsonWriter Boolean(string name, bool value)
    {
        Name(name);
        Raw(value ? "true" : "false");
        return this;
    }

    /// <summary>A <c>time.Time</c> property (RFC 3339 with nanoseconds, <see cref="GoTime"/>).</summary>
    public GoJsonWriter Time(string name, DateTimeOffset value)
    {
        Name(name);
        Raw("\"" + GoTime.Format(value) + "\"");
        return this;
    }

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void QuotedString(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in EnumerateRunes(value))
        {
            if (rune is null)
            {
                text.Append("\\ufffd");
                continue;
            }
            switch (rune.Value.Value)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                // Control characters, HTML-significant characters and the JavaScript line separators.
                case < 0x20 or '<' or '>' or '&' or 0x2028 or 0x2029:
                    var code = rune.Value.Value;
                    text.Append("\\u").Append(Hex[(code >> 12) & 0xF]).Append(Hex[(code >> 8) & 0xF])
                        .Append(Hex[(code >> 4) & 0xF]).Append(Hex[code & 0xF]);
                    break;
                default: text.Append(rune.Value.ToString()); break;
            }
        }
        Raw(text.Append('"').ToString());
    }

    // Null for a lone surrogate: it has no UTF-8 form, and Go writes invalid UTF-8 as the escape \ufffd.
    private static IEnumerable<Rune?> EnumerateRunes(string value)
    {
        for (var i = 0; i < value.Length;)
        {
            var status = Rune.DecodeFromUtf16(value.AsSpan(i), out var rune, out var consumed);
            yield return status == OperationStatus.Done ? rune : null;
            i += consumed;
        }
    }

    private void Raw(string ascii) => Encoding.UTF8.GetBytes(ascii, _buffer);
}
