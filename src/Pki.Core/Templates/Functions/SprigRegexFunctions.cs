namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's regex functions (Masterminds/sprig <c>regex.go</c>) on <see cref="GoRegex"/>:
/// <c>regexMatch</c> treats an invalid pattern as no match; the others fail the template with
/// Go's <c>MustCompile</c> message, their <c>must*</c> forms with the plain compile error.
/// </summary>
internal static class SprigRegexFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["regexMatch"] = a =>
        {
            var (pattern, s) = Two("regexMatch", a);
            try
            {
                return GoRegex.Compile(pattern).IsMatch(s);
            }
            catch (GoRegexException)
            {
                return false;
            }
        };
        table["mustRegexMatch"] = a =>
        {
            var (pattern, s) = Two("mustRegexMatch", a);
            return GoRegex.Compile(pattern).IsMatch(s);
        };
        table["regexFind"] = a => Find(a, "regexFind", must: false);
        table["mustRegexFind"] = a => Find(a, "mustRegexFind", must: true);
        table["regexFindAll"] = a => FindAll(a, "regexFindAll", must: false);
        table["mustRegexFindAll"] = a => FindAll(a, "mustRegexFindAll", must: true);
        table["regexReplaceAll"] = a => Replace(a, "regexReplaceAll", must: false, literal: false);
        table["mustRegexReplaceAll"] = a => Replace(a, "mustRegexReplaceAll", must: true, literal: false);
        table["regexReplaceAllLiteral"] = a => Replace(a, "regexReplaceAllLiteral", must: false, literal: true);
        table["mustRegexReplaceAllLiteral"] = a => Replace(a, "mustRegexReplaceAllLiteral", must: true, literal: true);
        table["regexSplit"] = a => Split(a, "regexSplit", must: false);
        table["mustRegexSplit"] = a => Split(a, "mustRegexSplit", must: true);
        table["regexQuoteMeta"] = a =>
        {
            FunctionArgs.Count("regexQuoteMeta", a, 1);
            return GoRegex.QuoteMeta(FunctionArgs.String(a[0]));
        };
    }

    private static object? Find(object?[] a, string fn, bool must)
    {
        var (pattern, s) = Two(fn, a);
        return Compile(pattern, must).Find(s);
    }

    private static object? FindAll(object?[] a, string fn, bool must)
    {
        FunctionArgs.Count(fn, a, 3);
        var (pattern, s, n) = (FunctionArgs.String(a[0]), FunctionArgs.String(a[1]), FunctionArgs.Int(a[2]));
        return Compile(pattern, must).FindAll(s, n).Select(m => (object?)m.Value).ToList();
    }

    private static object? Replace(object?[] a, string fn, bool must, bool literal)
    {
        FunctionArgs.Count(fn, a, 3);
        var (pattern, s, replacement) = (FunctionArgs.String(a[0]), FunctionArgs.String(a[1]), FunctionArgs.String(a[2]));
        return Compile(pattern, must).ReplaceAll(s, replacement, literal);
    }

    private static object? Split(object?[] a, string fn, bool must)
    {
        FunctionArgs.Count(fn, a, 3);
        var (pattern, s, n) = (FunctionArgs.String(a[0]), FunctionArgs.String(a[1]), FunctionArgs.Int(a[2]));
        return Compile(pattern, must).Split(s, n).Select(x => (object?)x).ToList();
    }

    private static GoRegex Compile(string pattern, bool must)
    {
        try
        {
            return GoRegex.Compile(pattern);
        }
        catch (GoRegexException e) when (!must)
        {
            throw GoRegex.MustCompileError(pattern, e);
        }
    }

    private static (string Pattern, string Subject) Two(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 2);
        return (FunctionArgs.String(a[0]), FunctionArgs.String(a[1]));
    }
}
