namespace Smallstep.Pki.Templates.Execution;

/// <summary>
/// A function refused its arguments; the executor turns it into a <see cref="TemplateException"/>
/// at the call's position (or a <see cref="TemplateFailException"/> when <see cref="IsFail"/>).
/// </summary>
internal sealed class TemplateFunctionException(string message, bool isFail = false) : Exception(message)
{
    public bool IsFail { get; } = isFail;
}
