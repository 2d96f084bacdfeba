namespace Smallstep.Pki.Tests.Templates;

/// <summary>sprig's functions beyond the common subset, against Go's own output.</summary>
public sealed class GoSprigFunctionTests
{
    [TestCaseSource(typeof(GoSprigCases), nameof(GoSprigCases.Cases))]
    public void Sprig_functions_match_go(GoCase c) => GoCrossCheck.Check(c);
}
