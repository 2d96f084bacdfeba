using System.Globalization;
using System.Text;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>A pattern is not valid Go (RE2) syntax, or uses RE2 syntax this engine does not support.</summary>
internal sealed class GoRegexException(string message) : Exception(message);

/// <summary>
/// Translates Go's RE2 syntax (regexp/syntax) into an equivalent .NET pattern for the
/// non-backtracking engine. What differs is rewritten: <c>$</c> outside <c>(?m)</c> is end of
/// text (<c>\z</c>), <c>\d \w \s</c> and POSIX classes are ASCII, <c>\Q..\E</c>, <c>\x{...}</c>
/// and octal escapes become literals, <c>(?P&lt;name&gt;</c> becomes <c>(?&lt;name&gt;</c>.
/// What Go rejects is rejected with Go's message (look-around, back-references, <c>\Z</c>,
/// repeat counts over 1000, unbalanced groups). Not supported: Unicode script classes
/// (<c>\p{Greek}</c>), the <c>U</c> flag and negated Perl or POSIX classes inside brackets.
/// </summary>
internal sealed class GoRegexSyntax
{
    private const int MaxRepeat = 1000;
    private const int MaxNesting = 1000;
    private const string Word = "0-9A-Za-z_";
    private const string Space = @"\t\n\f\r ";
    private const string Digit = "0-9";

    private readonly string pattern;
    private readonly StringBuilder output = new();
    private readonly Stack<(bool Multiline, int MaxRepeat, int OutputStart)> groups = new();
    private int pos;
    private bool multiline;
    private int atomStart = -1;
    private int atomRepeat = 1;
    private int groupRepeat = 1;
    private bool lastWasRepeat;

    private GoRegexSyntax(string pattern) => this.pattern = pattern;

    /// <summary>Go's capture groups in order, each with its name or null (Go numbers named groups too).</summary>
    public List<string?> Groups { get; } = [];

    /// <summary>Translates <paramref name="pattern"/>.</summary>
    /// <exception cref="GoRegexException">Go rejects the pattern, or it needs unsupported syntax.</exception>
    public static (string Pattern, List<string?> Groups) Translate(string pattern)
    {
        var translator = new GoRegexSyntax(pattern);
        translator.Run();
        return (translator.output.ToString(), translator.Groups);
    }

    private void Run()
    {
        while (pos < pattern.Length)
        {
            var c = pattern[pos];
            switch (c)
            {
                case '(':
                    OpenGroup();
                    break;
                case ')':
                    CloseGroup();
                    break;
                case '*' or '+' or '?':
                    Repeat(c.ToString(), 1, c == '?' ? 1 : -1, pos + 1);
                    break;
                case '{' when TryRepeatCount(out var min, out var max, out var end):
                    Repeat(pattern[pos..end], min, max, end);
                    break;
                case '|':
                    output.Append('|');
                    pos++;
                    EndAtom();
                    break;
                case '^':
                    Atom("^");
                    pos++;
                    break;
                case '$':
                    Atom(multiline ? "(?m:$)" : @"\z");
                    pos++;
                    break;
                case '.':
                    Atom(".");
                    pos++;
                    break;
                case '[':
                    Atom(GoRegexClass.Parse(pattern, ref pos));
                    break;
                case '\\':
                    Atom(Escape());
                    break;
                default:
                    var rune = Rune.GetRuneAt(pattern, pos);
                    Atom(Literal(rune.Value));
                    pos += rune.Utf16SequenceLength;
                    break;
            }
        }

        if (groups.Count > 0)
        {
            throw Error("missing closing )", pattern);
        }
    }

    private void Atom(string text)
    {
        atomStart = output.Length;
        atomRepeat = 1;
        lastWasRepeat = false;
        output.Append(text);
    }

    private void EndAtom()
    {
        atomStart = -1;
        lastWasRepeat = false;
    }

    private void OpenGroup()
    {
        var start = pos;
        if (groups.Count >= MaxNesting)
        {
            throw Error("expression nests too deeply", pattern);
        }

        if (!pattern.AsSpan(pos).StartsWith("(?"))
        {
            Groups.Add(null);
            Push("(", 1);
            return;
        }

        var named = pattern.AsSpan(pos).StartsWith("(?P<") ? 4 : pattern.AsSpan(pos).StartsWith("(?<") && !pattern.AsSpan(pos).StartsWith("(?<=") && !pattern.AsSpan(pos).StartsWith("(?<!") ? 3 : 0;
        if (named > 0)
        {
            var end = pattern.IndexOf('>', pos);
            var name = end < 0 ? "" : pattern[(pos + named)..end];
            if (end < 0 || name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_') || char.IsAsciiDigit(name[0]))
            {
                throw Error("invalid named capture", end < 0 ? pattern[start..] : pattern[start..(end + 1)]);
            }

            Groups.Add(name);
            Push("(?<" + name + ">", end + 1 - pos);
            return;
        }

        // (?flags) or (?flags:...) with flags i, m, s; U is not supported by .NET.
        var i = pos + 2;
        var negate = false;
        var sawFlag = false;
        var newMultiline = multiline;
        var flags = new StringBuilder();
        while (i < pattern.Length)
        {
            var c = pattern[i++];
            switch (c)
            {
                case 'i' or 'm' or 's':
                    newMultiline = c == 'm' ? !negate : newMultiline;
                    flags.Append(c);
                    sawFlag = true;
                    continue;
                case 'U':
                    throw Error("unsupported flag U", pattern[start..i]);
                case '-' when !negate:
                    negate = true;
                    sawFlag = false;
                    flags.Append('-');
                    continue;
                case ':' or ')' when !negate || sawFlag:
                    if (c == ':')
                    {
                        Push("(?" + flags + ":", i - pos);
                        multiline = newMultiline;
                    }
                    else
                    {
                        output.Append("(?").Append(flags).Append(')');
                        multiline = newMultiline;
                        pos = i;
                        EndAtom();
                    }

                    return;
            }

            break;
        }

        throw Error("invalid or unsupported Perl syntax", pattern[start..Math.Min(i, pattern.Length)]);
    }

    private void Push(string text, int consumed)
    {
        groups.Push((multiline, groupRepeat, output.Length));
        groupRepeat = 1;
        output.Append(text);
        pos += consumed;
        EndAtom();
    }

    private void CloseGroup()
    {
        if (groups.Count == 0)
        {
            throw Error("unexpected )", pattern);
        }

        var (savedMultiline, outerRepeat, start) = groups.Pop();
        var inner = groupRepeat;
        multiline = savedMultiline;
        groupRepeat = Math.Max(outerRepeat, inner);
        output.Append(')');
        pos++;
        atomStart = start;
        atomRepeat = inner;
        lastWasRepeat = false;
    }

    private void Repeat(string op, int min, int max, int end)
    {
        var lazy = end < pattern.Length && pattern[end] == '?';
        var text = pattern[pos..(end + (lazy ? 1 : 0))];
        if (atomStart < 0)
        {
            throw Error("missing argument to repetition operator", text);
        }

        if (lastWasRepeat)
        {
            throw Error("invalid nested repetition operator", pattern[(pos - 1)..(end + (lazy ? 1 : 0))]);
        }

        if (op.StartsWith('{'))
        {
            var size = (long)Math.Max(min, max) * atomRepeat;
            if (size > MaxRepeat)
            {
                throw Error("invalid repeat count", text);
            }

            groupRepeat = (int)Math.Max(groupRepeat, size);
        }

        output.Append(op.StartsWith('{') ? "{" + min + (max == min ? "" : max < 0 ? "," : "," + max) + "}" : op).Append(lazy ? "?" : "");
        pos = end + (lazy ? 1 : 0);
        lastWasRepeat = true;
    }

    /// <summary>Go's repeat syntax <c>{n}</c>, <c>{n,}</c>, <c>{n,m}</c>; anything else makes '{' a literal.</summary>
    private bool TryRepeatCount(out int min, out int max, out int end)
    {
        min = max = 0;
        end = pattern.IndexOf('}', pos);
        if (end < 0)
        {
            return false;
        }

        var body = pattern[(pos + 1)..end];
        var parts = body.Split(',');
        end++;
        if (parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        if (parts[0].Length > 8 || (parts.Length == 2 && parts[1].Length > 8))
        {
            throw Error("invalid repeat count", pattern[pos..end]);
        }

        min = int.Parse(parts[0], CultureInfo.InvariantCulture);
        max = parts.Length == 1 ? min : parts[1].Length == 0 ? -1 : int.Parse(parts[1], CultureInfo.InvariantCulture);
        if (min > MaxRepeat || max > MaxRepeat || (max >= 0 && max < min))
        {
            throw Error("invalid repeat count", pattern[pos..end]);
        }

        return true;
    }

    private string Escape()
    {
        var start = pos;
        if (pos + 1 >= pattern.Length)
        {
            throw Error("trailing backslash at end of expression", "");
        }

        var c = pattern[pos + 1];
        pos += 2;
        switch (c)
        {
            case 'A' or 'z' or 'b' or 'B':
                return "\\" + c;
            case 'd':
                return "[" + Digit + "]";
            case 'D':
                return "[^" + Digit + "]";
            case 'w':
                return "[" + Word + "]";
            case 'W':
                return "[^" + Word + "]";
            case 's':
                return "[" + Space + "]";
            case 'S':
                return "[^" + Space + "]";
            case 'Q':
                var close = pattern.IndexOf("\\E", pos, StringComparison.Ordinal);
                var literal = close < 0 ? pattern[pos..] : pattern[pos..close];
                pos = close < 0 ? pattern.Length : close + 2;
                return literal.Length == 0 ? "" : "(?:" + string.Concat(literal.EnumerateRunes().Select(r => Literal(r.Value))) + ")";
            case 'p' or 'P':
                pos = start;
                return GoRegexClass.UnicodeClass(pattern, ref pos, inClass: false);
            default:
                pos = start;
                return Literal(GoRegexClass.EscapedChar(pattern, ref pos));
        }
    }

    /// <summary>A code point as a .NET literal.</summary>
    internal static string Literal(int codePoint) => codePoint switch
    {
        < 0x80 when char.IsAsciiLetterOrDigit((char)codePoint) || codePoint is '_' or ' ' => ((char)codePoint).ToString(),
        < 0x10000 => "\\u" + codePoint.ToString("X4", CultureInfo.InvariantCulture),
        _ => "(?:" + string.Concat(char.ConvertFromUtf32(codePoint).Select(ch => "\\u" + ((int)ch).ToString("X4", CultureInfo.InvariantCulture))) + ")",
    };

    internal static GoRegexException Error(string code, string expression) =>
        new($"error parsing regexp: {code}: `{expression}`");
}
