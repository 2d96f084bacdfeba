using System.Text;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's path functions: Go's <c>path.Base Dir Clean Ext IsAbs</c> and the <c>os*</c> forms
/// (<c>path/filepath</c>, identical on Unix, which step-ca runs on). Purely lexical: nothing
/// touches the file system.
/// </summary>
internal static class SprigPathFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["base"] = table["osBase"] = a => Base(One("base", a));
        table["dir"] = table["osDir"] = a => Dir(One("dir", a));
        table["clean"] = table["osClean"] = a => Clean(One("clean", a));
        table["ext"] = table["osExt"] = a => Ext(One("ext", a));
        table["isAbs"] = table["osIsAbs"] = a => One("isAbs", a).StartsWith('/');
    }

    /// <summary>Go's <c>path.Clean</c> (Rob Pike's lexical rules).</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add(part);
                }

                continue;
            }

            parts.Add(part);
        }

        var cleaned = new StringBuilder(rooted ? "/" : "").AppendJoin('/', parts).ToString();
        return cleaned.Length == 0 ? "." : cleaned;
    }

    private static string Base(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        path = path.TrimEnd('/');
        return path.Length == 0 ? "/" : path[(path.LastIndexOf('/') + 1)..];
    }

    private static string Dir(string path) => Clean(path[..(path.LastIndexOf('/') + 1)]);

    private static string Ext(string path)
    {
        for (var i = path.Length - 1; i >= 0 && path[i] != '/'; i--)
        {
            if (path[i] == '.')
            {
                return path[i..];
            }
        }

        return "";
    }

    private static string One(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 1);
        return FunctionArgs.String(a[0]);
    }
}
