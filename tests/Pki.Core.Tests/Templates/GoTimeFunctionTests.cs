namespace Smallstep.Pki.Tests.Templates;

/// <summary>Go time layouts, zones, step's time functions and sprig's date functions, against Go's own output.</summary>
public sealed class GoTimeFunctionTests
{
    [TestCaseSource(typeof(GoTimeCases), nameof(GoTimeCases.Cases))]
    public void Time_functions_match_go(GoCase c) => GoCrossCheck.Check(c);
}
