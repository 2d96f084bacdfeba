using System.Text;

namespace Smallstep.Pki.Tests.Storage.Authority;

/// <summary>
/// Reads the exact bytes of (nkey, nvalue) rows from the fixture's mysqldump output
/// (<c>mysql/stepca.sql</c>: <c>INSERT INTO `t` VALUES ('k','v'),...;</c>, binary values as escaped
/// string literals, no --hex-blob). tables.json holds the same rows decoded, but only the dump keeps
/// the bytes step-ca wrote.
/// </summary>
internal static class MysqlDumpRows
{
    public static IReadOnlyList<(byte[] Key, byte[] Value)> Read(byte[] dump, string table)
    {
        var marker = Encoding.ASCII.GetBytes($"INSERT INTO `{table}` VALUES");
        var start = dump.AsSpan().IndexOf(marker);
        if (start < 0)
        {
            return [];
        }
        var rows = new List<(byte[], byte[])>();
        var i = start + marker.Length;
        while (true)
        {
            i = Skip(dump, i, "\n\r ,");
            if (dump[i] == ';')
            {
                return rows;
            }
            Expect(dump, ref i, '(');
            var key = Literal(dump, ref i);
            Expect(dump, ref i, ',');
            var value = Literal(dump, ref i);
            Expect(dump, ref i, ')');
            rows.Add((key, value));
        }
    }

    // A single-quoted MySQL string literal with mysqldump's backslash escapes.
    private static byte[] Literal(byte[] dump, ref int i)
    {
        Expect(dump, ref i, '\'');
        var bytes = new List<byte>();
        while (dump[i] != '\'')
        {
            if (dump[i] == '\\')
            {
                i++;
                bytes.Add(dump[i] switch
                {
                    (byte)'0' => 0,
                    (byte)'b' => 8,
                    (byte)'n' => 10,
                    (byte)'r' => 13,
                    (byte)'t' => 9,
                    (byte)'Z' => 26,
                    var other => other,
                });
            }
            else
            {
                bytes.Add(dump[i]);
            }
            i++;
        }
        i++;
        return [.. bytes];
    }

    private static int Skip(byte[] dump, int i, string characters)
    {
        while (characters.Contains((char)dump[i]))
        {
            i++;
        }
        return i;
    }

    private static void Expect(byte[] dump, ref int i, char expected)
    {
        if (dump[i] != expected)
        {
            throw new FormatException($"expected '{expected}' at byte {i} of the dump, found '{(char)dump[i]}'");
        }
        i++;
    }
}
