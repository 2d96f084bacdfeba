using Smallstep.Pki.Templates.Functions;

namespace Smallstep.Pki.Templates.Parsing;

/// <summary>Pipelines, declarations, commands and operands (Go's <c>parse.go</c> pipeline/command/operand).</summary>
internal sealed partial class Parser
{
    private PipeNode ParsePipeline(string context, TokenKind end, bool allowDecl, bool allowTwoDecl = false)
    {
        var pipe = new PipeNode(Peek.Pos, [], false, []);
        if (allowDecl && Peek.Kind == TokenKind.Variable)
        {
            ParseDeclarations(pipe, allowTwoDecl, out var isAssign);
            pipe = pipe with { IsAssign = isAssign };
        }

        while (true)
        {
            pipe.Commands.Add(ParseCommand(context, end));
            var token = Next();
            if (token.Kind == end)
            {
                return pipe;
            }

            if (token.Kind != TokenKind.Pipe)
            {
                throw Unexpected(token, context);
            }
        }
    }

    private void ParseDeclarations(PipeNode pipe, bool allowTwo, out bool isAssign)
    {
        isAssign = false;
        var start = index;
        var first = Next();
        var op = Next();
        if (op.Kind == TokenKind.Comma && allowTwo)
        {
            var second = Expect(TokenKind.Variable, "range declaration");
            op = Next();
            if (op.Kind is not (TokenKind.Declare or TokenKind.Assign))
            {
                throw Unexpected(op, "range declaration");
            }

            pipe.Decl.AddRange([first.Text, second.Text]);
        }
        else if (op.Kind is TokenKind.Declare or TokenKind.Assign)
        {
            pipe.Decl.Add(first.Text);
        }
        else
        {
            index = start;
            return;
        }

        isAssign = op.Kind == TokenKind.Assign;
        foreach (var name in pipe.Decl)
        {
            if (isAssign && !vars.Contains(name))
            {
                throw map.Error(first.Pos, $"undefined variable \"{name}\"");
            }

            if (!isAssign)
            {
                vars.Add(name);
            }
        }
    }

    private CommandNode ParseCommand(string context, TokenKind end)
    {
        var command = new CommandNode(Peek.Pos, []);
        while (Peek.Kind != end && Peek.Kind != TokenKind.Pipe)
        {
            command.Args.Add(ParseOperand(context));
        }

        if (command.Args.Count == 0)
        {
            throw map.Error(Peek.Pos, $"missing value for {context}");
        }

        return command;
    }

    private Node ParseOperand(string context)
    {
        if (++nesting > MaxNesting)
        {
            throw map.Error(Peek.Pos, $"pipelines nest deeper than {MaxNesting}");
        }

        var token = Next();
        Node term = token.Kind switch
        {
            TokenKind.Identifier => FunctionTable.IsDefined(token.Text)
                ? new IdentifierNode(token.Pos, token.Text)
                : throw map.Error(token.Pos, $"function \"{token.Text}\" not defined"),
            TokenKind.Dot => new DotNode(token.Pos),
            TokenKind.Nil => new NilNode(token.Pos),
            TokenKind.Field => new FieldNode(token.Pos, [(string)token.Value!]),
            TokenKind.Variable => vars.Contains(token.Text)
                ? new VariableNode(token.Pos, token.Text, [])
                : throw map.Error(token.Pos, $"undefined variable \"{token.Text}\""),
            TokenKind.String or TokenKind.Number or TokenKind.Bool => new LiteralNode(token.Pos, token.Value),
            TokenKind.LeftParen => ParsePipeline(context, TokenKind.RightParen, allowDecl: true),
            _ => throw Unexpected(token, context),
        };

        var end = tokens[index - 1].End;
        var chain = new List<string>();
        while (Peek.Kind == TokenKind.Field && Peek.Pos == end)
        {
            var field = Next();
            chain.Add((string)field.Value!);
            end = field.End;
        }

        nesting--;
        if (chain.Count == 0)
        {
            return term;
        }

        return term switch
        {
            FieldNode f => f with { Fields = [.. f.Fields, .. chain] },
            VariableNode v => v with { Fields = chain },
            PipeNode => new ChainNode(term.Pos, term, chain),
            _ => throw map.Error(token.Pos, $"unexpected . after term \"{token.Text}\""),
        };
    }
}
