namespace Smallstep.Pki.Templates;

/// <summary>
/// A template failed to parse or to render. The message follows Go's
/// <c>text/template</c> shape: <c>template: name:line:column: reason</c>.
/// </summary>
public class TemplateException : Exception
{
    /// <summary>Creates the error for a position in a template.</summary>
    /// <param name="templateName">The name given to <see cref="GoTemplate.Parse"/>.</param>
    /// <param name="line">1-based line of the offending construct.</param>
    /// <param name="column">1-based column of the offending construct.</param>
    /// <param name="reason">What went wrong, without position.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public TemplateException(string templateName, int line, int column, string reason, Exception? inner = null)
        : base($"template: {templateName}:{line}:{column}: {reason}", inner)
    {
        TemplateName = templateName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The name of the template that failed.</summary>
    public string TemplateName { get; }

    /// <summary>1-based line of the offending construct.</summary>
    public int Line { get; }

    /// <summary>1-based column of the offending construct.</summary>
    public int Column { get; }

    /// <summary>What went wrong, without the position prefix.</summary>
    public string Reason { get; }
}

/// <summary>
/// The template called <c>fail "msg"</c>: step's way for a template author to refuse a
/// request (smallstep/crypto <c>internal/templates/funcmap.go</c>); step-ca returns the message
/// to the client as a bad request.
/// </summary>
public sealed class TemplateFailException : TemplateException
{
    /// <summary>Creates the error for a <c>fail</c> call.</summary>
    /// <param name="templateName">The name of the template.</param>
    /// <param name="line">1-based line of the call.</param>
    /// <param name="column">1-based column of the call.</param>
    /// <param name="failMessage">The template author's message.</param>
    public TemplateFailException(string templateName, int line, int column, string failMessage)
        : base(templateName, line, column, "error calling fail: " + failMessage) => FailMessage = failMessage;

    /// <summary>The message given to <c>fail</c>, verbatim.</summary>
    public string FailMessage { get; }
}
