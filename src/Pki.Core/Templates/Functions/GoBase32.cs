using System.Text;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>Go's <c>base32.StdEncoding</c> (RFC 4648 §6, padded) for sprig's <c>b32enc</c>/<c>b32dec</c>.</summary>
internal static class GoBase32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(byte[] data)
    {
        var sb = new StringBuilder((data.Length + 4) / 5 * 8);
        for (var i = 0; i < data.Length; i += 5)
        {
            var chunk = data.AsSpan(i, Math.Min(5, data.Length - i));
            ulong bits = 0;
            for (var j = 0; j < 5; j++)
            {
                bits = (bits << 8) | (j < chunk.Length ? chunk[j] : 0UL);
            }

            var symbols = (chunk.Length * 8 + 4) / 5;
            for (var j = 0; j < 8; j++)
            {
                sb.Append(j < symbols ? Alphabet[(int)((bits >> (35 - j * 5)) & 31)] : '=');
            }
        }

        return sb.ToString();
    }

    /// <summary>Decodes, or returns Go's error text (<c>illegal base32 data at input byte N</c>) as sprig does.</summary>
    public static string DecodeToString(string text)
    {
        // Go's decoder skips \r and \n anywhere in the input.
        var input = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        var output = new List<byte>(input.Length * 5 / 8);
        for (var i = 0; i < input.Length; i += 8)
        {
            if (input.Length - i < 8)
            {
                return Illegal(i);
            }

            ulong bits = 0;
            var symbols = 8;
            for (var j = 0; j < 8; j++)
            {
                var c = input[i + j];
                if (c == '=')
                {
                    // Padding only at the end of the last quantum, after 2, 4, 5 or 7 symbols.
                    if (i + 8 != input.Length || j is not (2 or 4 or 5 or 7) || input[(i + j)..(i + 8)].Any(p => p != '='))
                    {
                        return Illegal(i + j);
                    }

                    symbols = j;
                    break;
                }

                var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
                if (value < 0)
                {
                    return Illegal(i + j);
                }

                bits |= (ulong)value << (35 - j * 5);
            }

            var bytes = symbols * 5 / 8;
            for (var j = 0; j < bytes; j++)
            {
                output.Add((byte)(bits >> (32 - j * 8)));
            }
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static string Illegal(int position) => $"illegal base32 data at input byte {position}";
}
