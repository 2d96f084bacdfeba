using System.Globalization;
using System.Text;

namespace Smallstep.Pki.Templates.Parsing;

/// <summary>
/// Splits template source into text and action tokens, following Go's
/// <c>text/template/parse/lex.go</c>: <c>{{- </c> and <c> -}}</c> trim adjacent white space,
/// <c>{{/* */}}</c> is a comment, field chains are recognised by adjacency.
/// </summary>
internal sealed class Lexer(string text, SourceMap map)
{
    private readonly List<Token> tokens = [];
    private int pos;

    public List<Token> Lex()
    {
        while (pos < text.Length)
        {
            var open = text.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                Add(TokenKind.Text, text[pos..], pos, text.Length);
                break;
            }

            var trimLeft = open + 3 < text.Length && text[open + 2] == '-' && IsSpace(text[open + 3]);
            var textEnd = open;
            if (trimLeft)
            {
                while (textEnd > pos && IsSpace(text[textEnd - 1]))
                {
                    textEnd--;
                }
            }

            if (textEnd > pos)
            {
                Add(TokenKind.Text, text[pos..textEnd], pos, textEnd);
            }

            pos = open + (trimLeft ? 4 : 2);
            var trimRight = text.AsSpan(pos).StartsWith("/*") ? LexComment(open) : LexAction(open);
            if (trimRight)
            {
                while (pos < text.Length && IsSpace(text[pos]))
                {
                    pos++;
                }
            }
        }

        Add(TokenKind.Eof, "", text.Length, text.Length);
        return tokens;
    }

    private bool LexComment(int open)
    {
        var close = text.IndexOf("*/", pos + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            throw map.Error(open, "unclosed comment");
        }

        pos = close + 2;
        return AtRightDelim(out var trim) ? trim : throw map.Error(open, "comment ends before closing delimiter");
    }

    private bool LexAction(int open)
    {
        Add(TokenKind.LeftDelim, "{{", open, pos);
        while (true)
        {
            var at = pos;
            if (pos >= text.Length)
            {
                throw map.Error(open, "unclosed action");
            }

            if (AtRightDelim(out var trim))
            {
                Add(TokenKind.RightDelim, "}}", at, pos);
                return trim;
            }

            if (IsSpace(text[pos]))
            {
                pos++;
                continue;
            }

            LexItem();
        }
    }

    private bool AtRightDelim(out bool trim)
    {
        trim = false;
        if (text.AsSpan(pos).StartsWith("}}"))
        {
            pos += 2;
            return true;
        }

        if (pos < text.Length && IsSpace(text[pos]) && text.AsSpan(pos + 1).StartsWith("-}}"))
        {
            pos += 4;
            trim = true;
            return true;
        }

        return false;
    }

    private void LexItem()
    {
        var start = pos;
        var c = text[pos];
        switch (c)
        {
            case '"':
                LexQuoted(start);
                return;
            case '`':
                var close = text.IndexOf('`', pos + 1);
                if (close < 0)
                {
                    throw map.Error(start, "unterminated raw quoted string");
                }

                pos = close + 1;
                Add(TokenKind.String, text[start..pos], text[(start + 1)..close], start, pos);
                return;
            case '\'':
                LexChar(start);
                return;
            case '$':
                pos++;
                SkipWord();
                Add(TokenKind.Variable, text[start..pos], null, start, pos);
                return;
            case '(':
                pos++;
                Add(TokenKind.LeftParen, "(", null, start, pos);
                return;
            case ')':
                pos++;
                Add(TokenKind.RightParen, ")", null, start, pos);
                return;
            case '|':
                pos++;
                Add(TokenKind.Pipe, "|", null, start, pos);
                return;
            case ',':
                pos++;
                Add(TokenKind.Comma, ",", null, start, pos);
                return;
            case '=':
                pos++;
                Add(TokenKind.Assign, "=", null, start, pos);
                return;
            case ':' when pos + 1 < text.Length && text[pos + 1] == '=':
                pos += 2;
                Add(TokenKind.Declare, ":=", null, start, pos);
                return;
        }

        if (c == '.' && pos + 1 < text.Length && IsWordStart(text[pos + 1]))
        {
            pos++;
            SkipWord();
            Add(TokenKind.Field, text[start..pos], text[(start + 1)..pos], start, pos);
        }
        else if (char.IsAsciiDigit(c) || ((c is '.' or '+' or '-') && pos + 1 < text.Length && (char.IsAsciiDigit(text[pos + 1]) || text[pos + 1] == '.')))
        {
            LexNumber(start);
        }
        else if (c == '.')
        {
            pos++;
            Add(TokenKind.Dot, ".", null, start, pos);
        }
        else if (IsWordStart(c))
        {
            SkipWord();
            var word = text[start..pos];
            var (kind, value) = word switch
            {
                "true" => (TokenKind.Bool, (object?)true),
                "false" => (TokenKind.Bool, false),
                "nil" => (TokenKind.Nil, null),
                _ => (TokenKind.Identifier, null),
            };
            Add(kind, word, value, start, pos);
        }
        else
        {
            throw map.Error(start, $"unrecognized character in action: {Quote(c)}");
        }
    }

    private void LexQuoted(int start)
    {
        var sb = new StringBuilder();
        pos++;
        while (true)
        {
            if (pos >= text.Length || text[pos] == '\n')
            {
                throw map.Error(start, "unterminated quoted string");
            }

            var c = text[pos++];
            if (c == '"')
            {
                break;
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (!GoEscapes.TryUnescape(text, ref pos, '"', sb))
            {
                throw map.Error(start, "invalid syntax in quoted string");
            }
        }

        Add(TokenKind.String, text[start..pos], sb.ToString(), start, pos);
    }

    private void LexChar(int start)
    {
        var sb = new StringBuilder();
        pos++;
        if (pos < text.Length && text[pos] == '\\')
        {
            pos++;
            if (!GoEscapes.TryUnescape(text, ref pos, '\'', sb))
            {
                throw map.Error(start, "invalid syntax in character constant");
            }
        }
        else if (pos < text.Length)
        {
            var rune = Rune.GetRuneAt(text, pos);
            sb.Append(rune.ToString());
            pos += rune.Utf16SequenceLength;
        }

        if (pos >= text.Length || text[pos] != '\'' || sb.Length == 0)
        {
            throw map.Error(start, "unterminated character constant");
        }

        pos++;
        Add(TokenKind.Number, text[start..pos], (long)Rune.GetRuneAt(sb.ToString(), 0).Value, start, pos);
    }

    private void LexNumber(int start)
    {
        pos++;
        while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] is '_' or '.'
            || (text[pos] is '+' or '-' && text[pos - 1] is 'e' or 'E' or 'p' or 'P')))
        {
            pos++;
        }

        var literal = text[start..pos];
        var value = GoNumbers.Parse(literal) ?? throw map.Error(start, $"bad number syntax: \"{literal}\"");
        Add(TokenKind.Number, literal, value, start, pos);
    }

    private void SkipWord()
    {
        while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] == '_'))
        {
            pos++;
        }
    }

    private void Add(TokenKind kind, string s, int start, int end) => tokens.Add(new Token(kind, s, s, start, end));

    private void Add(TokenKind kind, string s, object? value, int start, int end) => tokens.Add(new Token(kind, s, value, start, end));

    private static bool IsWordStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static string Quote(char c) => "'" + c.ToString(CultureInfo.InvariantCulture) + "'";
}
