namespace Smallstep.Pki.Templates.Parsing;

/// <summary>The syntax tree (Go's <c>text/template/parse/node.go</c>); <c>Pos</c> is a source offset.</summary>
internal abstract record Node(int Pos);

internal sealed record ListNode(int Pos, List<Node> Nodes) : Node(Pos);

internal sealed record TextNode(int Pos, string Text) : Node(Pos);

internal sealed record ActionNode(int Pos, PipeNode Pipe) : Node(Pos);

internal enum BranchKind
{
    If,
    With,
    Range,
}

internal sealed record BranchNode(int Pos, BranchKind Kind, PipeNode Pipe, ListNode List, ListNode? ElseList) : Node(Pos);

internal sealed record TemplateCallNode(int Pos, string Name, PipeNode? Pipe) : Node(Pos);

internal sealed record BreakNode(int Pos) : Node(Pos);

internal sealed record ContinueNode(int Pos) : Node(Pos);

/// <summary>A pipeline; <see cref="Decl"/> are the variables it declares or (<see cref="IsAssign"/>) assigns.</summary>
internal sealed record PipeNode(int Pos, List<string> Decl, bool IsAssign, List<CommandNode> Commands) : Node(Pos);

internal sealed record CommandNode(int Pos, List<Node> Args) : Node(Pos);

/// <summary>A function name; resolved against the function table at parse time.</summary>
internal sealed record IdentifierNode(int Pos, string Name) : Node(Pos);

internal sealed record DotNode(int Pos) : Node(Pos);

internal sealed record NilNode(int Pos) : Node(Pos);

/// <summary>A field chain on dot: <c>.A.B</c>.</summary>
internal sealed record FieldNode(int Pos, List<string> Fields) : Node(Pos);

/// <summary>A variable with an optional field chain: <c>$x.A</c>.</summary>
internal sealed record VariableNode(int Pos, string Name, List<string> Fields) : Node(Pos);

/// <summary>A field chain on a parenthesized pipeline: <c>(pipeline).A</c>.</summary>
internal sealed record ChainNode(int Pos, Node Target, List<string> Fields) : Node(Pos);

internal sealed record LiteralNode(int Pos, object? Value) : Node(Pos);
