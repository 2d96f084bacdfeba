using System.Text;

namespace Smallstep.Pki.Kms.Soft.Pem;

/// <summary>
/// One PEM block with optional RFC 1421 headers, parsed the way Go's <c>encoding/pem</c> does:
/// text before <c>-----BEGIN</c> is ignored, headers are the <c>Key: Value</c> lines right after
/// the BEGIN line, the rest up to the matching END line is base64 (whitespace ignored).
/// </summary>
internal sealed class PemBlock
{
    /// <summary>Longest text accepted (an 8192-bit RSA key in PEM is about 6.5 KB).</summary>
    public const int MaxTextLength = 64 * 1024;

    private const string BeginMarker = "-----BEGIN ";
    private const string EndMarker = "-----END ";
    private const string Dashes = "-----";
    private const int MaxHeaders = 16;
    private const int LineLength = 64;

    public PemBlock(string type, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
    {
        Type = type;
        Headers = headers;
        Body = body;
    }

    /// <summary>The label, e.g. <c>EC PRIVATE KEY</c>.</summary>
    public string Type { get; }

    /// <summary>Headers in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The decoded base64 body.</summary>
    public byte[] Body { get; }

    /// <summary>The value of the header named <paramref name="name"/> (case-sensitive, as in Go), or null.</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (key == name)
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>
    /// Parses a file that holds exactly one key block, as step's <c>pemutil.Parse</c> requires.
    /// A leading <c>EC PARAMETERS</c> block (what <c>openssl ecparam -genkey</c> writes) is skipped;
    /// step rejects such files, accepting them here is harmless.
    /// </summary>
    public static PemBlock ParseSingle(string text)
    {
        if (text.Length > MaxTextLength)
        {
            throw new KeyFormatException($"PEM text is longer than {MaxTextLength} characters");
        }
        var (block, rest) = ParseNext(text, 0);
        if (block.Type == "EC PARAMETERS")
        {
            (block, rest) = ParseNext(text, rest);
        }
        if (!string.IsNullOrWhiteSpace(text[rest..]))
        {
            throw new KeyFormatException("contains more than one PEM block or trailing data");
        }
        return block;
    }

    /// <summary>Encodes the block as Go's <c>pem.Encode</c> does: headers, a blank line, 64-character lines.</summary>
    public string Encode()
    {
        var sb = new StringBuilder();
        sb.Append(BeginMarker).Append(Type).Append(Dashes).Append('\n');
        foreach (var (key, value) in Headers)
        {
            sb.Append(key).Append(": ").Append(value).Append('\n');
        }
        if (Headers.Count > 0)
        {
            sb.Append('\n');
        }
        var base64 = Convert.ToBase64String(Body);
        for (var i = 0; i < base64.Length; i += LineLength)
        {
            sb.Append(base64, i, Math.Min(LineLength, base64.Length - i)).Append('\n');
        }
        sb.Append(EndMarker).Append(Type).Append(Dashes).Append('\n');
        return sb.ToString();
    }

    private static (PemBlock Block, int Next) ParseNext(string text, int from)
    {
        var begin = FindLineStart(text, BeginMarker, from);
        if (begin < 0)
        {
            throw new KeyFormatException("no PEM block found");
        }
        var typeStart = begin + BeginMarker.Length;
        var lineEnd = LineEnd(text, typeStart);
        var line = text[typeStart..lineEnd].TrimEnd();
        if (!line.EndsWith(Dashes, StringComparison.Ordinal) || line.Length == Dashes.Length)
        {
            throw new KeyFormatException("malformed PEM BEGIN line");
        }
        var type = line[..^Dashes.Length];
        var endLine = EndMarker + type + Dashes;
        var end = FindLineStart(text, endLine, lineEnd);
        if (end < 0)
        {
            throw new KeyFormatException($"PEM block '{type}' has no END line (truncated?)");
        }

        var lines = text[lineEnd..end].Split('\n');
        var headers = new List<KeyValuePair<string, string>>();
        var index = 0;
        for (; index < lines.Length && lines[index].Contains(':', StringComparison.Ordinal); index++)
        {
            var colon = lines[index].IndexOf(':', StringComparison.Ordinal);
            var key = lines[index][..colon].Trim();
            if (headers.Count == MaxHeaders || headers.Any(h => h.Key == key))
            {
                throw new KeyFormatException($"too many or repeated PEM headers in '{type}'");
            }
            headers.Add(new(key, lines[index][(colon + 1)..].Trim()));
        }
        var base64 = string.Concat(lines.Skip(index));
        var body = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, body, out var written))
        {
            throw new KeyFormatException($"PEM block '{type}' has an invalid base64 body");
        }
        if (written == 0)
        {
            throw new KeyFormatException($"PEM block '{type}' is empty");
        }
        return (new PemBlock(type, headers, body[..written]), end + endLine.Length);
    }

    /// <summary>Finds <paramref name="marker"/> at the start of a line (Go requires the same).</summary>
    private static int FindLineStart(string text, string marker, int from)
    {
        for (var at = text.IndexOf(marker, from, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || text[at - 1] == '\n')
            {
                return at;
            }
        }
        return -1;
    }

    private static int LineEnd(string text, int from)
    {
        var newline = text.IndexOf('\n', from);
        return newline < 0 ? text.Length : newline + 1;
    }
}
