using System.Runtime.CompilerServices;
using System.Text;
using Smallstep.Pki.Templates.Parsing;

namespace Smallstep.Pki.Templates.Execution;

/// <summary>
/// Walks a parsed template over data (Go's <c>text/template/exec.go</c>) with a step budget, an
/// output cap and a template-call depth limit. One instance renders once; not thread-safe.
/// </summary>
internal sealed partial class Executor(IReadOnlyDictionary<string, ListNode> templates, SourceMap map, TemplateLimits limits, TimeProvider timeProvider)
{
    private readonly Functions.FunctionContext functions = new(limits, timeProvider);
    private readonly StringBuilder output = new();
    private readonly JsonStringContext? json = limits.EscapeInsideJsonStrings ? new JsonStringContext() : null;
    private List<(string Name, object? Value)> vars = [];
    private const int MaxWalkDepth = 2000;
    private long steps;
    private int depth;
    private int walkDepth;

    private enum Signal
    {
        None,
        Break,
        Continue,
    }

    public string Render(string name, object? data)
    {
        // Go's Execute(w, nil) makes dot the invalid value: fields of it print "<no value>".
        var root = data ?? GoValues.NoValue;
        vars = [("$", root)];
        Walk(templates[name], root);
        return output.ToString();
    }

    private void Step(Node node)
    {
        if (++steps > limits.MaxSteps)
        {
            throw map.Error(node.Pos, $"template execution exceeded {limits.MaxSteps} steps");
        }
    }

    private void Write(Node node, string text)
    {
        if (output.Length + (long)text.Length > limits.MaxOutputChars)
        {
            throw map.Error(node.Pos, $"template output exceeds {limits.MaxOutputChars} characters");
        }

        output.Append(text);
    }

    private Signal Walk(Node node, object? dot)
    {
        Step(node);
        EnsureStack(node);
        walkDepth++;
        try
        {
            return WalkNode(node, dot);
        }
        finally
        {
            walkDepth--;
        }
    }

    /// <summary>
    /// Nested control structures inside recursive <c>template</c> calls multiply; bound the walk
    /// depth and check the real stack so a template can never overflow it, whatever the thread.
    /// </summary>
    private void EnsureStack(Node node)
    {
        if (walkDepth >= MaxWalkDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw map.Error(node.Pos, $"exceeded maximum nesting depth ({MaxWalkDepth})");
        }
    }

    private Signal WalkNode(Node node, object? dot)
    {
        switch (node)
        {
            case ListNode list:
                foreach (var item in list.Nodes)
                {
                    var signal = Walk(item, dot);
                    if (signal != Signal.None)
                    {
                        return signal;
                    }
                }

                return Signal.None;
            case TextNode text:
                json?.Feed(text.Text);
                Write(text, text.Text);
                return Signal.None;
            case ActionNode action:
                var value = EvalPipeline(action.Pipe, dot, bindDeclarations: true);
                if (action.Pipe.Decl.Count == 0)
                {
                    // exec.go evalPipeline digs into interface{} results, so a nil result prints as an invalid value.
                    var printed = value is null ? "<no value>" : Print(action, value);
                    Write(action, json is null ? printed : json.Print(printed));
                }

                return Signal.None;
            case BranchNode { Kind: BranchKind.Range } range:
                return WalkRange(range, dot);
            case BranchNode branch:
                return WalkIfOrWith(branch, dot);
            case TemplateCallNode call:
                WalkTemplate(call, dot);
                return Signal.None;
            case BreakNode:
                return Signal.Break;
            case ContinueNode:
                return Signal.Continue;
            default:
                throw map.Error(node.Pos, "unknown node");
        }
    }

    private string Print(Node node, object? value)
    {
        try
        {
            return GoFormatter.Format(value);
        }
        catch (TemplateFunctionException e)
        {
            throw map.Error(node.Pos, e.Message, e);
        }
    }

    private Signal WalkIfOrWith(BranchNode branch, object? dot)
    {
        var mark = vars.Count;
        var value = EvalPipeline(branch.Pipe, dot, bindDeclarations: true);
        var signal = GoValues.IsTrue(value)
            ? Walk(branch.List, branch.Kind == BranchKind.With ? value : dot)
            : branch.ElseList is null ? Signal.None : Walk(branch.ElseList, dot);
        vars.RemoveRange(mark, vars.Count - mark);
        return signal;
    }

    private Signal WalkRange(BranchNode range, object? dot)
    {
        var mark = vars.Count;
        var value = EvalPipeline(range.Pipe, dot, bindDeclarations: false);
        var ran = false;
        foreach (var (key, element) in RangeItems(range, value))
        {
            Step(range);
            ran = true;
            var decl = range.Pipe.Decl;
            if (decl.Count == 1)
            {
                Bind(range.Pipe, decl[0], value is long ? key : element);
            }
            else if (decl.Count == 2)
            {
                Bind(range.Pipe, decl[0], key);
                Bind(range.Pipe, decl[1], element);
            }

            var signal = Walk(range.List, element);
            vars.RemoveRange(mark, vars.Count - mark);
            if (signal == Signal.Break)
            {
                break;
            }
        }

        var result = !ran && range.ElseList is not null ? Walk(range.ElseList, dot) : Signal.None;
        vars.RemoveRange(mark, vars.Count - mark);
        return result;
    }

    private IEnumerable<(object? Key, object? Element)> RangeItems(BranchNode range, object? value)
    {
        switch (value)
        {
            case null:
                yield break;
            case IReadOnlyList<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    yield return ((long)i, list[i]);
                }

                break;
            case IReadOnlyDictionary<string, object?> dict:
                // Snapshot first: the body may unset keys of the map it ranges over.
                foreach (var (key, element) in GoFormatter.SortedKeys(dict).Select(k => (k, dict[k])).ToList())
                {
                    yield return (key, element);
                }

                break;
            case long n:
                // Go 1.22 ranges over an integer: 0..n-1.
                for (long i = 0; i < n; i++)
                {
                    yield return (i, i);
                }

                break;
            default:
                if (value == GoValues.NoValue)
                {
                    yield break;
                }

                throw map.Error(range.Pos, $"range can't iterate over {Print(range, value)}");
        }
    }

    private void WalkTemplate(TemplateCallNode call, object? dot)
    {
        if (!templates.TryGetValue(call.Name, out var body))
        {
            throw map.Error(call.Pos, $"no such template \"{call.Name}\"");
        }

        if (depth >= limits.MaxTemplateDepth)
        {
            throw map.Error(call.Pos, $"exceeded maximum template depth ({limits.MaxTemplateDepth})");
        }

        // No pipeline (or nil data) is Go's invalid value: {{.}} then prints "<no value>".
        var newDot = call.Pipe is null ? GoValues.NoValue : EvalPipeline(call.Pipe, dot, bindDeclarations: true);
        var saved = vars;
        vars = [("$", newDot)];
        depth++;
        try
        {
            Walk(body, newDot);
        }
        finally
        {
            depth--;
            vars = saved;
        }
    }
}
