using System.Text;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's <c>camelcase</c>, <c>snakecase</c>, <c>kebabcase</c>: huandu/xstrings 1.5
/// <c>ToPascalCase</c>, <c>ToSnakeCase</c>, <c>ToKebabCase</c> (the versions sprig 3.3, which
/// step uses, links), rune by rune.
/// </summary>
internal static class SprigCaseFunctions
{
    private enum Word
    {
        Invalid,
        Number,
        UpperCase,
        Alphabet,
        Connector,
        Punct,
        Other,
    }

    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["camelcase"] = a => ToPascalCase(One("camelcase", a));
        table["snakecase"] = a => ToLowerCase(One("snakecase", a), "_");
        table["kebabcase"] = a => ToLowerCase(One("kebabcase", a), "-");
    }

    /// <summary>xstrings <c>toCamelCase(str, isBig: true)</c>.</summary>
    private static string ToPascalCase(string s)
    {
        var runes = s.EnumerateRunes().ToList();
        if (runes.Count == 0)
        {
            return "";
        }

        var sb = new StringBuilder(s.Length);
        var i = 0;
        Rune r0 = default;
        var firstUpper = false;
        while (i < runes.Count)
        {
            r0 = runes[i++];
            if (!IsConnector(r0))
            {
                firstUpper = Rune.IsUpper(r0);
                r0 = Rune.ToUpperInvariant(r0);
                break;
            }

            sb.Append(r0.ToString());
        }

        if (i == runes.Count)
        {
            // xstrings writes the last rune again here, so "__" becomes "___".
            return sb.Append(r0.ToString()).ToString();
        }

        while (i < runes.Count)
        {
            var r1 = r0;
            r0 = runes[i++];
            if (IsConnector(r0) && IsConnector(r1))
            {
                sb.Append(r1.ToString());
                continue;
            }

            if (IsConnector(r1))
            {
                firstUpper = Rune.IsUpper(r0);
                r0 = Rune.ToUpperInvariant(r0);
            }
            else
            {
                if (firstUpper)
                {
                    if (Rune.IsUpper(r0))
                    {
                        r0 = Rune.ToLowerInvariant(r0);
                    }
                    else
                    {
                        firstUpper = false;
                    }
                }

                sb.Append(r1.ToString());
            }
        }

        return sb.Append(r0.ToString()).ToString();
    }

    /// <summary>xstrings <c>camelCaseToLowerCase</c>: words found by <see cref="NextWord"/>, joined by the connector.</summary>
    private static string ToLowerCase(string s, string connector)
    {
        if (s.Length == 0)
        {
            return "";
        }

        var sb = new StringBuilder(s.Length + 8);
        var (wt, word, rest) = NextWord(s);
        while (rest.Length > 0)
        {
            if (wt != Word.Connector)
            {
                Lower(sb, wt, word, connector);
            }

            var prev = wt;
            var last = word;
            (wt, word, rest) = NextWord(rest);
            switch (prev)
            {
                case Word.Number:
                    while (wt is Word.Alphabet or Word.Number)
                    {
                        Lower(sb, wt, word, connector);
                        (wt, word, rest) = NextWord(rest);
                    }

                    if (wt is not (Word.Invalid or Word.Punct or Word.Connector))
                    {
                        sb.Append(connector);
                    }

                    break;
                case Word.Connector:
                    Lower(sb, prev, last, connector);
                    break;
                case Word.Punct:
                    break;
                default:
                    if (wt != Word.Number)
                    {
                        if (wt is not (Word.Connector or Word.Punct))
                        {
                            sb.Append(connector);
                        }

                        break;
                    }

                    if (rest.Length == 0)
                    {
                        break;
                    }

                    var number = word;
                    (wt, word, rest) = NextWord(rest);

                    // A number followed by anything but letters belongs to the previous word ("Bld4Floor").
                    if (wt != Word.Alphabet)
                    {
                        Lower(sb, Word.Number, number, connector);
                        if (wt is not (Word.Connector or Word.Punct))
                        {
                            sb.Append(connector);
                        }

                        break;
                    }

                    // Lower-case letters after a number start a new word with it ("HTTP2xx").
                    sb.Append(connector);
                    Lower(sb, Word.Number, number, connector);
                    while (wt is Word.Alphabet or Word.Number)
                    {
                        Lower(sb, wt, word, connector);
                        (wt, word, rest) = NextWord(rest);
                    }

                    if (wt is not (Word.Invalid or Word.Connector or Word.Punct))
                    {
                        sb.Append(connector);
                    }

                    break;
            }
        }

        Lower(sb, wt, word, connector);
        return sb.ToString();
    }

    /// <summary>xstrings <c>nextWord</c>: the type and text of the next word and the remaining text.</summary>
    private static (Word Type, string Text, string Remaining) NextWord(string s)
    {
        if (s.Length == 0)
        {
            return (Word.Invalid, "", "");
        }

        var first = Rune.GetRuneAt(s, 0);
        var offset = first.Utf16SequenceLength;
        int Run(Func<Rune, bool> keep)
        {
            var end = offset;
            while (end < s.Length && keep(Rune.GetRuneAt(s, end)))
            {
                end += Rune.GetRuneAt(s, end).Utf16SequenceLength;
            }

            return end;
        }

        Word type;
        if (IsConnector(first))
        {
            (type, offset) = (Word.Connector, Run(IsConnector));
        }
        else if (Rune.IsPunctuation(first))
        {
            (type, offset) = (Word.Punct, Run(Rune.IsPunctuation));
        }
        else if (Rune.IsUpper(first))
        {
            type = Word.UpperCase;
            if (offset < s.Length)
            {
                var next = Rune.GetRuneAt(s, offset);
                if (Rune.IsUpper(next))
                {
                    var end = Run(Rune.IsUpper);
                    // "HTTPStatus" splits into "HTTP" and "Status": the last capital starts the next word.
                    if (end < s.Length && IsAlphabet(Rune.GetRuneAt(s, end)))
                    {
                        end -= PreviousRuneLength(s, end);
                    }

                    offset = end;
                }
                else if (IsAlphabet(next))
                {
                    offset = Run(r => IsAlphabet(r) && !Rune.IsUpper(r));
                }
            }
        }
        else if (IsAlphabet(first))
        {
            (type, offset) = (Word.Alphabet, Run(r => IsAlphabet(r) && !Rune.IsUpper(r)));
        }
        else if (Rune.IsNumber(first))
        {
            (type, offset) = (Word.Number, Run(Rune.IsNumber));
        }
        else
        {
            (type, offset) = (Word.Other, Run(r => !(IsConnector(r) || IsAlphabet(r) || Rune.IsNumber(r) || Rune.IsPunctuation(r))));
        }

        return (type, s[..offset], s[offset..]);
    }

    private static int PreviousRuneLength(string s, int end) => char.IsLowSurrogate(s[end - 1]) && end >= 2 ? 2 : 1;

    /// <summary>xstrings <c>toLower</c>: upper-case words and connectors are rewritten, other words copied.</summary>
    private static void Lower(StringBuilder sb, Word type, string word, string connector)
    {
        if (type is not (Word.UpperCase or Word.Connector))
        {
            sb.Append(word);
            return;
        }

        foreach (var r in word.EnumerateRunes())
        {
            sb.Append(IsConnector(r) ? connector : Rune.IsUpper(r) ? Rune.ToLowerInvariant(r).ToString() : r.ToString());
        }
    }

    private static bool IsConnector(Rune r) => r.Value is '-' or '_' || Rune.IsWhiteSpace(r);

    /// <summary>xstrings <c>isAlphabet</c>: a letter that is not a CJK ideograph.</summary>
    private static bool IsAlphabet(Rune r) =>
        Rune.IsLetter(r) && !(r.Value is (>= 0x4E00 and <= 0x9FCC) or (>= 0x3400 and <= 0x4D85) or (>= 0x20000 and <= 0x2B81D));

    private static string One(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 1);
        return FunctionArgs.String(a[0]);
    }
}
