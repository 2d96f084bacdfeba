using Smallstep.Pki.Templates.Functions;
using Smallstep.Pki.Templates.Parsing;

namespace Smallstep.Pki.Templates.Execution;

/// <summary>Evaluation of pipelines, commands, function calls, variables and field chains.</summary>
internal sealed partial class Executor
{
    private object? EvalPipeline(PipeNode pipe, object? dot, bool bindDeclarations)
    {
        EnsureStack(pipe);
        object? value = null;
        var hasFinal = false;
        foreach (var command in pipe.Commands)
        {
            value = EvalCommand(command, dot, value, hasFinal);
            hasFinal = true;
        }

        if (bindDeclarations)
        {
            foreach (var name in pipe.Decl)
            {
                Bind(pipe, name, value);
            }
        }

        return value;
    }

    private void Bind(PipeNode pipe, string name, object? value)
    {
        if (!pipe.IsAssign)
        {
            vars.Add((name, value));
            return;
        }

        var i = vars.FindLastIndex(v => v.Name == name);
        if (i < 0)
        {
            throw map.Error(pipe.Pos, $"undefined variable: {name}");
        }

        vars[i] = (name, value);
    }

    private object? EvalCommand(CommandNode command, object? dot, object? final, bool hasFinal)
    {
        var first = command.Args[0];
        if (first is IdentifierNode fn)
        {
            return Call(fn, command.Args, dot, final, hasFinal);
        }

        if (first is NilNode)
        {
            throw map.Error(first.Pos, "nil is not a command");
        }

        if (command.Args.Count > 1 || hasFinal)
        {
            throw map.Error(first.Pos, hasFinal ? "can't give argument to non-function" : "non-function command has arguments");
        }

        return EvalArg(first, dot);
    }

    private object? Call(IdentifierNode fn, List<Node> args, object? dot, object? final, bool hasFinal)
    {
        Step(fn);
        var count = args.Count - 1 + (hasFinal ? 1 : 0);
        if (fn.Name is "and" or "or")
        {
            // Short-circuit: return the first argument that decides (Go's and/or since 1.18).
            if (count == 0)
            {
                throw map.Error(fn.Pos, $"wrong number of args for {fn.Name}: want at least 1 got 0");
            }

            object? value = null;
            for (var i = 0; i < count; i++)
            {
                value = i < args.Count - 1 ? GoValues.Defined(EvalArg(args[i + 1], dot)) : final;
                if (GoValues.IsTrue(value) == (fn.Name == "or"))
                {
                    return value;
                }
            }

            return value;
        }

        var values = new object?[count];
        for (var i = 0; i < args.Count - 1; i++)
        {
            values[i] = GoValues.Defined(EvalArg(args[i + 1], dot));
        }

        if (hasFinal)
        {
            values[^1] = GoValues.Defined(final);
        }

        try
        {
            return Charge(fn, FunctionTable.Get(fn.Name)(values, functions));
        }
        catch (TemplateFunctionException e) when (e.IsFail)
        {
            var (line, column) = map.Locate(fn.Pos);
            throw new TemplateFailException(map.Name, line, column, e.Message);
        }
        catch (Exception e) when (e is not TemplateException)
        {
            throw map.Error(fn.Pos, $"error calling {fn.Name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Charges a call's result against the budget in proportion to its size, so loops that grow
    /// strings or lists (<c>$l = append $l 1</c>) cannot do quadratic work within the step count.
    /// </summary>
    private object? Charge(IdentifierNode fn, object? result)
    {
        if (result is string s && s.Length > limits.MaxOutputChars)
        {
            throw map.Error(fn.Pos, $"result of {fn.Name} exceeds {limits.MaxOutputChars} characters");
        }

        steps += result switch
        {
            string text => text.Length / 16,
            IReadOnlyList<object?> list => list.Count,
            IReadOnlyDictionary<string, object?> dict => dict.Count,
            _ => 0,
        };
        Step(fn);
        return result;
    }

    private object? EvalArg(Node node, object? dot) => node switch
    {
        DotNode => dot,
        NilNode => null,
        LiteralNode literal => literal.Value,
        FieldNode field => EvalFields(field, dot, field.Fields),
        VariableNode variable => EvalFields(variable, Lookup(variable), variable.Fields),
        ChainNode chain => EvalFields(chain, EvalArg(chain.Target, dot), chain.Fields),
        PipeNode pipe => EvalPipeline(pipe, dot, bindDeclarations: true),
        IdentifierNode fn => Call(fn, [fn], dot, null, hasFinal: false),
        _ => throw map.Error(node.Pos, "can't evaluate node"),
    };

    private object? Lookup(VariableNode variable)
    {
        var i = vars.FindLastIndex(v => v.Name == variable.Name);
        return i >= 0 ? vars[i].Value : throw map.Error(variable.Pos, $"undefined variable: {variable.Name}");
    }

    private object? EvalFields(Node node, object? receiver, List<string> fields)
    {
        foreach (var field in fields)
        {
            if (receiver is TemplateTypedValue typed)
            {
                receiver = typed.Value;
            }

            receiver = receiver switch
            {
                IReadOnlyDictionary<string, object?> m => m.TryGetValue(field, out var v) ? v : GoValues.NoValue,
                TemplateStruct s => s.TryGetField(field, out var v) ? v : throw map.Error(node.Pos, $"can't evaluate field {field} in type {s.GoType}"),
                null => throw map.Error(node.Pos, $"nil pointer evaluating interface {{}}.{field}"),
                _ when receiver == GoValues.NoValue => GoValues.NoValue,
                _ => throw map.Error(node.Pos, $"can't evaluate field {field} in type {GoValues.TypeName(receiver)}"),
            };
        }

        return receiver;
    }
}
