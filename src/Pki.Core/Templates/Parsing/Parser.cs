namespace Smallstep.Pki.Templates.Parsing;

/// <summary>
/// Recursive-descent parser for Go template syntax (Go's <c>text/template/parse/parse.go</c>).
/// Unknown functions, undefined variables and misplaced keywords fail here, before any render.
/// </summary>
internal sealed partial class Parser
{
    private const int MaxNesting = 100;
    private readonly List<Token> tokens;
    private readonly SourceMap map;
    private readonly List<string> vars = ["$"];
    private readonly Dictionary<string, ListNode> templates = new(StringComparer.Ordinal);
    private int index;
    private int rangeDepth;
    private int nesting;

    private Parser(List<Token> tokens, SourceMap map)
    {
        this.tokens = tokens;
        this.map = map;
    }

    /// <summary>Parses the main template and every <c>define</c>/<c>block</c> it contains.</summary>
    public static Dictionary<string, ListNode> Parse(string text, SourceMap map)
    {
        var parser = new Parser(new Lexer(text, map).Lex(), map);
        var (root, terminator) = parser.ParseList(topLevel: true);
        if (terminator is not null)
        {
            throw map.Error(terminator.Value.Pos, $"unexpected {{{{{terminator.Value.Text}}}}}");
        }

        parser.templates[map.Name] = root;
        return parser.templates;
    }

    private Token Peek => tokens[index];

    private Token Next() => tokens[Math.Min(index++, tokens.Count - 1)];

    private Token Expect(TokenKind kind, string context)
    {
        var token = Next();
        return token.Kind == kind ? token : throw Unexpected(token, context);
    }

    private TemplateException Unexpected(Token token, string context) =>
        map.Error(token.Pos, token.Kind == TokenKind.Eof ? $"unexpected EOF in {context}" : $"unexpected \"{token.Text}\" in {context}");

    /// <summary>Parses items until EOF or an <c>end</c>/<c>else</c> keyword, which is returned (its delimiter consumed up to the keyword).</summary>
    private (ListNode List, Token? Terminator) ParseList(bool topLevel = false)
    {
        if (++nesting > MaxNesting)
        {
            throw map.Error(Peek.Pos, $"control structures nest deeper than {MaxNesting}");
        }

        var list = new ListNode(Peek.Pos, []);
        while (true)
        {
            var token = Next();
            switch (token.Kind)
            {
                case TokenKind.Eof:
                    if (!topLevel)
                    {
                        throw map.Error(token.Pos, "unexpected EOF");
                    }

                    nesting--;
                    return (list, null);
                case TokenKind.Text:
                    list.Nodes.Add(new TextNode(token.Pos, token.Text));
                    break;
                case TokenKind.LeftDelim:
                    var keyword = Peek;
                    if (keyword.Kind == TokenKind.Identifier && keyword.Text is "end" or "else")
                    {
                        index++;
                        nesting--;
                        return (list, keyword);
                    }

                    if (ParseAction(topLevel) is { } node)
                    {
                        list.Nodes.Add(node);
                    }

                    break;
                default:
                    throw Unexpected(token, "input");
            }
        }
    }

    private Node? ParseAction(bool topLevel)
    {
        var token = Peek;
        if (token.Kind == TokenKind.Identifier)
        {
            switch (token.Text)
            {
                case "if":
                    index++;
                    return ParseBranch(BranchKind.If, token.Pos);
                case "with":
                    index++;
                    return ParseBranch(BranchKind.With, token.Pos);
                case "range":
                    index++;
                    return ParseBranch(BranchKind.Range, token.Pos);
                case "template":
                    index++;
                    return ParseTemplateCall(token.Pos);
                case "block":
                    index++;
                    return ParseBlock(token.Pos);
                case "define":
                    index++;
                    if (!topLevel)
                    {
                        throw map.Error(token.Pos, "unexpected <define> in command");
                    }

                    ParseDefine();
                    return null;
                case "break" or "continue":
                    index++;
                    if (rangeDepth == 0)
                    {
                        throw map.Error(token.Pos, $"{{{{{token.Text}}}}} outside {{{{range}}}}");
                    }

                    Expect(TokenKind.RightDelim, token.Text);
                    return token.Text == "break" ? new BreakNode(token.Pos) : new ContinueNode(token.Pos);
            }
        }

        return new ActionNode(token.Pos, ParsePipeline("command", TokenKind.RightDelim, allowDecl: true));
    }

    private BranchNode ParseBranch(BranchKind kind, int pos)
    {
        var mark = vars.Count;
        var context = kind.ToString().ToLowerInvariant();
        var pipe = ParsePipeline(context, TokenKind.RightDelim, allowDecl: true, allowTwoDecl: kind == BranchKind.Range);
        if (kind == BranchKind.Range)
        {
            rangeDepth++;
        }

        var (list, terminator) = ParseList();
        if (kind == BranchKind.Range)
        {
            rangeDepth--;
        }

        ListNode? elseList = null;
        if (terminator!.Value.Text == "else")
        {
            // "else if" / "else with" chain: the nested branch consumes the shared {{end}} (Go parse.go parseControl).
            if (kind != BranchKind.Range && Peek.Kind == TokenKind.Identifier && Peek.Text == context)
            {
                var nested = Next();
                elseList = new ListNode(nested.Pos, [ParseBranch(kind, nested.Pos)]);
                vars.RemoveRange(mark, vars.Count - mark);
                return new BranchNode(pos, kind, pipe, list, elseList);
            }

            Expect(TokenKind.RightDelim, "else");
            (elseList, terminator) = ParseList();
            if (terminator!.Value.Text != "end")
            {
                throw map.Error(terminator.Value.Pos, "expected end; found {{else}}");
            }
        }

        Expect(TokenKind.RightDelim, "end");
        vars.RemoveRange(mark, vars.Count - mark);
        return new BranchNode(pos, kind, pipe, list, elseList);
    }

    private TemplateCallNode ParseTemplateCall(int pos)
    {
        var name = ExpectTemplateName("template clause");
        PipeNode? pipe = null;
        if (Peek.Kind != TokenKind.RightDelim)
        {
            pipe = ParsePipeline("template clause", TokenKind.RightDelim, allowDecl: false);
        }
        else
        {
            index++;
        }

        return new TemplateCallNode(pos, name, pipe);
    }

    private TemplateCallNode ParseBlock(int pos)
    {
        var name = ExpectTemplateName("block clause");
        var pipe = ParsePipeline("block clause", TokenKind.RightDelim, allowDecl: false);
        ParseDefinitionBody(name, "block");
        return new TemplateCallNode(pos, name, pipe);
    }

    private void ParseDefine()
    {
        var name = ExpectTemplateName("define clause");
        Expect(TokenKind.RightDelim, "define clause");
        ParseDefinitionBody(name, "define");
    }

    private void ParseDefinitionBody(string name, string context)
    {
        // A definition is its own template: only $ is in scope and break has no enclosing range.
        var outerVars = vars.ToList();
        var outerRange = rangeDepth;
        vars.RemoveRange(1, vars.Count - 1);
        rangeDepth = 0;
        var (body, terminator) = ParseList();
        if (terminator!.Value.Text != "end")
        {
            throw map.Error(terminator.Value.Pos, $"unexpected {{{{else}}}} in {context}");
        }

        Expect(TokenKind.RightDelim, "end");
        vars.Clear();
        vars.AddRange(outerVars);
        rangeDepth = outerRange;
        if (templates.TryGetValue(name, out var existing) && existing.Nodes.Count > 0 && body.Nodes.Count > 0)
        {
            throw map.Error(body.Pos, $"template: multiple definition of template \"{name}\"");
        }

        templates[name] = body;
    }

    private string ExpectTemplateName(string context)
    {
        var token = Next();
        return token.Kind == TokenKind.String ? (string)token.Value! : throw Unexpected(token, context);
    }
}
