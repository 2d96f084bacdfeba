namespace Smallstep.Pki.Templates.Parsing;

/// <summary>Turns source offsets into 1-based line and column for <see cref="TemplateException"/>.</summary>
internal sealed class SourceMap(string name, string text)
{
    public string Name => name;

    public (int Line, int Column) Locate(int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
        var line = 1 + text.AsSpan(0, lineStart).Count('\n');
        return (line, offset - lineStart + 1);
    }

    public TemplateException Error(int offset, string reason, Exception? inner = null)
    {
        var (line, column) = Locate(offset);
        return new TemplateException(name, line, column, reason, inner);
    }
}
