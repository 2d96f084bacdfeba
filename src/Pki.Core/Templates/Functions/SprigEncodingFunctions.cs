using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's JSON, base64 and regex functions. Regexes run on .NET's non-backtracking engine
/// (linear time like Go's RE2, no back-references) with a timeout; <c>(?P&lt;name&gt;</c> groups
/// are accepted as in Go.
/// </summary>
internal static class SprigEncodingFunctions
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["toJson"] = a => GoJson.Serialize(One("toJson", a), escapeHtml: true);
        table["toRawJson"] = a => GoJson.Serialize(One("toRawJson", a), escapeHtml: false);
        table["fromJson"] = a => FromJson(FunctionArgs.String(One("fromJson", a)));
        table["b64enc"] = a => Convert.ToBase64String(Encoding.UTF8.GetBytes(FunctionArgs.String(One("b64enc", a))));
        table["b64dec"] = a => B64Dec(FunctionArgs.String(One("b64dec", a)));
        table["regexMatch"] = a =>
        {
            FunctionArgs.Count("regexMatch", a, 2);
            var (pattern, s) = (FunctionArgs.String(a[0]), FunctionArgs.String(a[1]));
            try
            {
                return Compile(pattern).IsMatch(s);
            }
            catch (ArgumentException)
            {
                // sprig's regexMatch ignores compile errors: `match, _ := regexp.MatchString(...)`.
                return false;
            }
        };
        table["regexFind"] = a =>
        {
            FunctionArgs.Count("regexFind", a, 2);
            var match = Compile(FunctionArgs.String(a[0])).Match(FunctionArgs.String(a[1]));
            return match.Success ? match.Value : "";
        };
        table["regexReplaceAll"] = a =>
        {
            FunctionArgs.Count("regexReplaceAll", a, 3);
            return Compile(FunctionArgs.String(a[0])).Replace(FunctionArgs.String(a[1]), FunctionArgs.String(a[2]));
        };
    }

    private static object? One(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 1);
        return a[0];
    }

    /// <summary>sprig's fromJson returns nil when the text is not JSON.</summary>
    private static object? FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            return TemplateData.FromJson(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>sprig's b64dec returns the error text instead of failing.</summary>
    private static string B64Dec(string s)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(s));
        }
        catch (FormatException)
        {
            return "illegal base64 data at input byte 0";
        }
    }

    private static Regex Compile(string pattern) =>
        new(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, RegexTimeout);
}
