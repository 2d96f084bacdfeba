using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig functions whose result size is chosen by the template (<c>indent nindent wrap wrapWith
/// randAlphaNum randAlpha randAscii randNumeric randBytes shuffle</c>): the size is checked
/// against <see cref="TemplateLimits.MaxOutputChars"/> before anything is allocated. Random
/// strings come from a cryptographic generator, as goutils' <c>CryptoRandom*</c>.
/// </summary>
internal static class SprigSizedFunctions
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";

    public static void Register(Dictionary<string, TemplateFunction> table)
    {
        table["indent"] = (a, c) =>
        {
            FunctionArgs.Count("indent", a, 2);
            return Indent("indent", FunctionArgs.Int(a[0]), FunctionArgs.String(a[1]), c);
        };
        table["nindent"] = (a, c) =>
        {
            FunctionArgs.Count("nindent", a, 2);
            return "\n" + Indent("nindent", FunctionArgs.Int(a[0]), FunctionArgs.String(a[1]), c);
        };
        table["wrap"] = (a, _) =>
        {
            FunctionArgs.Count("wrap", a, 2);
            return GoWordUtils.Wrap(FunctionArgs.String(a[1]), Width(a[0]), "", wrapLongWords: false);
        };
        table["wrapWith"] = (a, c) =>
        {
            FunctionArgs.Count("wrapWith", a, 3);
            var (width, separator, s) = (Width(a[0]), FunctionArgs.String(a[1]), FunctionArgs.String(a[2]));
            // At most one separator per input byte.
            c.EnsureSize("wrapWith", Encoding.UTF8.GetByteCount(s) * (long)(separator.Length + 1));
            return GoWordUtils.Wrap(s, width, separator, wrapLongWords: true);
        };
        table["randAlphaNum"] = (a, c) => Random("randAlphaNum", a, Letters + Digits, c);
        table["randAlpha"] = (a, c) => Random("randAlpha", a, Letters, c);
        table["randNumeric"] = (a, c) => Random("randNumeric", a, Digits, c);
        table["randAscii"] = (a, c) => Random("randAscii", a, string.Concat(Enumerable.Range(32, 95).Select(i => (char)i)), c);
        table["randBytes"] = (a, c) =>
        {
            FunctionArgs.Count("randBytes", a, 1);
            var count = FunctionArgs.Int(a[0]);
            if (count < 0)
            {
                throw new TemplateFunctionException("runtime error: makeslice: len out of range");
            }

            c.EnsureSize("randBytes", (count + 2) / 3 * 4);
            return Convert.ToBase64String(RandomNumberGenerator.GetBytes((int)count));
        };
        table["shuffle"] = (a, _) =>
        {
            FunctionArgs.Count("shuffle", a, 1);
            var runes = FunctionArgs.String(a[0]).EnumerateRunes().ToArray();
            System.Random.Shared.Shuffle(runes);
            return string.Concat(runes.Select(r => r.ToString()));
        };
    }

    /// <summary>sprig's <c>indent</c>: the pad before the text and after every newline.</summary>
    private static string Indent(string fn, long spaces, string text, FunctionContext context)
    {
        if (spaces < 0)
        {
            throw new TemplateFunctionException("strings: negative Repeat count");
        }

        var lines = text.AsSpan().Count('\n') + 1L;
        context.EnsureSize(fn, text.Length + lines * spaces);
        var pad = new string(' ', (int)spaces);
        return pad + text.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static string Random(string fn, object?[] a, string alphabet, FunctionContext context)
    {
        FunctionArgs.Count(fn, a, 1);
        var count = FunctionArgs.Int(a[0]);
        if (count <= 0)
        {
            // goutils returns an error for a negative count, which sprig swallows.
            return "";
        }

        context.EnsureSize(fn, count);
        return RandomNumberGenerator.GetString(alphabet, (int)count);
    }

    private static int Width(object? value) => (int)Math.Clamp(FunctionArgs.Int(value), int.MinValue, int.MaxValue);
}
