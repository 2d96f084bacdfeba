using System.Text;

namespace Smallstep.Pki.Templates;

/// <summary>
/// Go strings are byte strings; ours are UTF-16. Template data that is binary in step-ca (an SSH
/// key's <c>.Marshal</c>) reaches templates as a string whose bytes that are not valid UTF-8 are
/// kept as lone surrogates U+DC80–U+DCFF (PEP 383's "surrogateescape"), so that
/// <c>.Marshal | toString | b64enc</c> encodes the original bytes exactly as Go does.
/// </summary>
internal static class GoByteString
{
    private const char EscapeBase = '\uDC00';

    /// <summary>The Go string <c>string(bytes)</c>: valid UTF-8 decoded, every other byte escaped.</summary>
    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                consumed = 1;
                text.Append((char)(EscapeBase + bytes[0]));
            }
            bytes = bytes[consumed..];
        }
        return text.ToString();
    }

    /// <summary>The bytes of a Go string: UTF-8, with escaped bytes restored.</summary>
    public static byte[] ToBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new List<byte>(text.Length);
        Span<byte> buffer = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '\uDC80' and <= '\uDCFF')
            {
                bytes.Add((byte)(c - EscapeBase));
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var written = new System.Text.Rune(c, text[++i]).EncodeToUtf8(buffer);
                bytes.AddRange(buffer[..written]);
                continue;
            }
            // A lone surrogate that is no escape becomes U+FFFD, as Go's UTF-8 encoding of invalid runes.
            var rune = System.Text.Rune.TryCreate(c, out var r) ? r : System.Text.Rune.ReplacementChar;
            bytes.AddRange(buffer[..rune.EncodeToUtf8(buffer)]);
        }
        return [.. bytes];
    }
}
