using System.Buffers.Text;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// Strict unpadded base64url (RFC 7515 §2, RFC 4648 §5). Unlike <see cref="Base64Url"/>, which
/// skips whitespace and accepts padding, decoding here rejects anything outside the 64-character
/// alphabet, so one token has exactly one encoding and nothing hides between the dots.
/// </summary>
internal static class Base64UrlCodec
{
    /// <summary>Encodes without padding.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>Decodes strictly; returns false on any character outside the alphabet or a bad length.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 == 1)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!IsAlphabet(c))
            {
                return false;
            }
        }
        var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        int written;
        try
        {
            if (!Base64Url.TryDecodeFromChars(text, buffer, out written))
            {
                return false;
            }
        }
        catch (FormatException)
        {
            // Non-zero unused bits in the last character: not the canonical encoding of any bytes.
            return false;
        }
        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }

    private static bool IsAlphabet(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
