using System.Text;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Storage.Postgres;

/// <summary>
/// Splits a libpq keyword/value string (libpq docs §34.1.1.1): <c>key = value</c> pairs separated by
/// whitespace; a value is single-quoted to hold spaces, and backslash escapes the next character.
/// </summary>
internal static class PostgresKeywords
{
    public static List<(string Name, string Value)> Parameters(string text)
    {
        var parameters = new List<(string, string)>();
        var i = 0;
        while (true)
        {
            SkipSpace(text, ref i);
            if (i == text.Length)
            {
                return parameters;
            }
            var start = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            var name = text[start..i];
            SkipSpace(text, ref i);
            if (name.Length == 0 || i == text.Length || text[i] != '=')
            {
                throw PkiException.BadRequest("PostgreSQL DSN must be a postgresql:// URL or key=value pairs");
            }
            i++;
            SkipSpace(text, ref i);
            parameters.Add((name, Value(text, ref i)));
        }
    }

    private static string Value(string text, ref int i)
    {
        var value = new StringBuilder();
        var quoted = i < text.Length && text[i] == '\'';
        if (quoted)
        {
            i++;
        }
        while (i < text.Length && (quoted ? text[i] != '\'' : !char.IsWhiteSpace(text[i])))
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }
            value.Append(text[i++]);
        }
        if (quoted)
        {
            if (i == text.Length)
            {
                throw PkiException.BadRequest("PostgreSQL DSN has an unterminated quoted value");
            }
            i++;
        }
        return value.ToString();
    }

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
    }
}
