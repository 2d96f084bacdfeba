using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// A Go <c>regexp.Regexp</c> on .NET's non-backtracking engine (linear time, like RE2) with a
/// match timeout as a second guard. Patterns are translated by <see cref="GoRegexSyntax"/>;
/// <see cref="FindAll"/>, <see cref="ReplaceAll"/> and <see cref="Split"/> follow Go's rules for
/// empty matches (an empty match right after a match is skipped) and Go's <c>$1</c>/<c>${name}</c>
/// replacement syntax. Instances are immutable and cached per pattern.
/// </summary>
internal sealed class GoRegex
{
    private const int CacheSize = 256;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly ConcurrentDictionary<string, GoRegex> Cache = new(StringComparer.Ordinal);

    private readonly Regex regex;
    private readonly List<string?> groups;

    private GoRegex(string pattern)
    {
        var (translated, names) = GoRegexSyntax.Translate(pattern);
        try
        {
            regex = new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, Timeout);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new GoRegexException($"error parsing regexp: {e.Message}: `{pattern}`");
        }

        groups = names;
    }

    /// <summary>Go's <c>regexp.Compile</c>.</summary>
    /// <exception cref="GoRegexException">The pattern is invalid (Go's message).</exception>
    public static GoRegex Compile(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        var compiled = new GoRegex(pattern);
        if (Cache.Count >= CacheSize)
        {
            Cache.Clear();
        }

        return Cache.GetOrAdd(pattern, compiled);
    }

    /// <summary>Go's <c>regexp.MustCompile</c> message for an invalid pattern: <c>regexp: Compile(`x`): ...</c>.</summary>
    public static GoRegexException MustCompileError(string pattern, GoRegexException e) =>
        new($"regexp: Compile({(pattern.Contains('`') || pattern.Any(c => char.IsControl(c) && c != '\t') ? Execution.GoFormatter.Quote(pattern) : "`" + pattern + "`")}): {e.Message}");

    public bool IsMatch(string s) => regex.IsMatch(s);

    /// <summary>Go's <c>FindString</c>: the leftmost match, or "".</summary>
    public string Find(string s)
    {
        var match = regex.Match(s);
        return match.Success ? match.Value : "";
    }

    /// <summary>Go's <c>FindAllStringIndex</c> as matches: n &lt; 0 for all, skipping empty matches that abut the previous match.</summary>
    public List<Match> FindAll(string s, long n)
    {
        var result = new List<Match>();
        var previousEnd = -1;
        for (var match = regex.Match(s); match.Success && (n < 0 || result.Count < n); match = match.NextMatch())
        {
            if (match.Length == 0 && match.Index == previousEnd)
            {
                continue;
            }

            result.Add(match);
            previousEnd = match.Index + match.Length;
        }

        return result;
    }

    /// <summary>Go's <c>ReplaceAllString</c> (template expansion) or <c>ReplaceAllLiteralString</c>.</summary>
    public string ReplaceAll(string s, string replacement, bool literal)
    {
        var sb = new StringBuilder(s.Length);
        var last = 0;
        var lastMatchEnd = -1;
        for (var match = regex.Match(s); match.Success; match = match.NextMatch())
        {
            sb.Append(s, last, match.Index - last);
            // No replacement for an empty match right after another match (Go's replaceAll).
            if (match.Index + match.Length > lastMatchEnd || match.Index == 0)
            {
                sb.Append(literal ? replacement : Expand(replacement, match));
            }

            lastMatchEnd = match.Index + match.Length;
            last = lastMatchEnd;
        }

        return sb.Append(s, last, s.Length - last).ToString();
    }

    /// <summary>Go's <c>Regexp.Split</c>.</summary>
    public List<string> Split(string s, long n)
    {
        if (n == 0)
        {
            return [];
        }

        if (regex.ToString().Length > 0 && s.Length == 0)
        {
            return [""];
        }

        var result = new List<string>();
        int begin = 0, end = 0;
        foreach (var match in FindAll(s, n))
        {
            if (n > 0 && result.Count == n - 1)
            {
                break;
            }

            end = match.Index;
            if (match.Index + match.Length != 0)
            {
                result.Add(s[begin..end]);
            }

            begin = match.Index + match.Length;
        }

        if (end != s.Length)
        {
            result.Add(s[begin..]);
        }

        return result;
    }

    /// <summary>Go's <c>regexp.QuoteMeta</c>.</summary>
    public static string QuoteMeta(string s)
    {
        var sb = new StringBuilder(s.Length * 2);
        foreach (var c in s)
        {
            sb.Append(@"\.+*?()|[]{}^$".Contains(c) ? "\\" : "").Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Go's <c>Regexp.expand</c>: <c>$1</c>, <c>${1}</c>, <c>$name</c>, <c>${name}</c>, <c>$$</c>; a name is the longest run of letters, digits and '_'.</summary>
    private string Expand(string template, Match match)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var dollar = template.IndexOf('$', i);
            if (dollar < 0)
            {
                break;
            }

            sb.Append(template, i, dollar - i);
            i = dollar + 1;
            if (i < template.Length && template[i] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }

            var brace = i < template.Length && template[i] == '{';
            var nameStart = brace ? i + 1 : i;
            var nameEnd = nameStart;
            while (nameEnd < template.Length && (char.IsLetterOrDigit(template[nameEnd]) || template[nameEnd] == '_'))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart || (brace && (nameEnd >= template.Length || template[nameEnd] != '}')))
            {
                // Malformed: the '$' is literal text.
                sb.Append('$');
                continue;
            }

            sb.Append(Group(match, template[nameStart..nameEnd]));
            i = nameEnd + (brace ? 1 : 0);
        }

        return sb.Append(template, i, template.Length - i).ToString();
    }

    /// <summary>A group by Go number (named groups count in order) or by name; "" when absent or unmatched.</summary>
    private string Group(Match match, string name)
    {
        // A leading zero makes "01" a name, not a number (Go's extract).
        if (name.All(char.IsAsciiDigit) && (name.Length == 1 || name[0] != '0'))
        {
            if (name.Length > 8 || !int.TryParse(name, out var number))
            {
                return "";
            }

            if (number == 0)
            {
                return match.Value;
            }

            if (number > groups.Count)
            {
                return "";
            }

            var goName = groups[number - 1];
            var group = goName is null ? match.Groups[groups.Take(number).Count(g => g is null)] : match.Groups[goName];
            return group.Success ? group.Value : "";
        }

        var index = groups.IndexOf(name);
        return index >= 0 && match.Groups[name].Success ? match.Groups[name].Value : "";
    }
}
