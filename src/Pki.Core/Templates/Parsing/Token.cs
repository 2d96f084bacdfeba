namespace Smallstep.Pki.Templates.Parsing;

internal enum TokenKind
{
    Text,
    LeftDelim,
    RightDelim,
    Identifier,
    Field,
    Variable,
    Dot,
    String,
    Number,
    Bool,
    Nil,
    LeftParen,
    RightParen,
    Pipe,
    Declare,
    Assign,
    Comma,
    Eof,
}

/// <summary>One lexical item; <see cref="Pos"/>..<see cref="End"/> is its span in the source.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, object? Value, int Pos, int End);
