using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>sprig's digests and identifiers (Masterminds/sprig <c>crypto.go</c>): <c>sha1sum sha256sum sha512sum adler32sum uuidv4</c>.</summary>
internal static class SprigHashFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["sha1sum"] = a => Convert.ToHexStringLower(SHA1.HashData(Bytes("sha1sum", a)));
        table["sha256sum"] = a => Convert.ToHexStringLower(SHA256.HashData(Bytes("sha256sum", a)));
        table["sha512sum"] = a => Convert.ToHexStringLower(SHA512.HashData(Bytes("sha512sum", a)));
        table["adler32sum"] = a => Adler32(Bytes("adler32sum", a)).ToString(CultureInfo.InvariantCulture);
        table["uuidv4"] = a =>
        {
            FunctionArgs.Count("uuidv4", a, 0);
            return Guid.NewGuid().ToString("D");
        };
    }

    /// <summary>RFC 1950 §9 Adler-32.</summary>
    private static uint Adler32(byte[] data)
    {
        const uint Mod = 65521;
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % Mod;
            b = (b + a) % Mod;
        }

        return (b << 16) | a;
    }

    private static byte[] Bytes(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 1);
        return Encoding.UTF8.GetBytes(FunctionArgs.String(a[0]));
    }
}
