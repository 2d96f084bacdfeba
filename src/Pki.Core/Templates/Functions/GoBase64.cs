using System.Text;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// Go's <c>base64.StdEncoding.DecodeString</c> (encoding/base64 <c>decodeQuantum</c>): padding
/// required, <c>\r</c>/<c>\n</c> skipped, and the same <c>illegal base64 data at input byte N</c>
/// error positions, which step's ASN.1 helpers return to the template author.
/// </summary>
internal static class GoBase64
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static byte[] Decode(string text)
    {
        var src = Encoding.UTF8.GetBytes(text);
        var output = new List<byte>(src.Length * 3 / 4);
        var si = 0;
        while (true)
        {
            var quantum = new int[4];
            var length = 4;
            var end = false;
            for (var j = 0; j < 4; j++)
            {
                if (si == src.Length)
                {
                    if (j == 0)
                    {
                        return output.ToArray();
                    }

                    throw Corrupt(si - j);
                }

                var c = src[si++];
                var value = c < 128 ? Alphabet.IndexOf((char)c) : -1;
                if (value >= 0)
                {
                    quantum[j] = value;
                    continue;
                }

                if (c is (byte)'\n' or (byte)'\r')
                {
                    j--;
                    continue;
                }

                if (c != '=' || j < 2)
                {
                    throw Corrupt(si - 1);
                }

                if (j == 2)
                {
                    // "==" expected; the first '=' is consumed.
                    si = SkipNewLines(src, si);
                    if (si == src.Length)
                    {
                        throw Corrupt(src.Length);
                    }

                    if (src[si] != '=')
                    {
                        throw Corrupt(si - 1);
                    }

                    si++;
                }

                si = SkipNewLines(src, si);
                if (si < src.Length)
                {
                    throw Corrupt(si);
                }

                length = j;
                end = true;
                break;
            }

            var bits = (quantum[0] << 18) | (quantum[1] << 12) | (quantum[2] << 6) | quantum[3];
            for (var k = 0; k < length - 1; k++)
            {
                output.Add((byte)(bits >> (16 - k * 8)));
            }

            if (end)
            {
                return output.ToArray();
            }
        }
    }

    private static int SkipNewLines(byte[] src, int si)
    {
        while (si < src.Length && src[si] is (byte)'\n' or (byte)'\r')
        {
            si++;
        }

        return si;
    }

    private static FormatException Corrupt(int offset) => new($"illegal base64 data at input byte {offset}");
}
