namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// A challenge could not connect for a reason of its own making: the name does not resolve, or
/// every address it resolves to is refused by the network policy. Carries the ACME problem type
/// short name the attempt reports.
/// </summary>
internal sealed class AcmeDialException(string problemType, string message) : Exception(message)
{
    /// <summary>The ACME problem type short name (<c>dns</c> or <c>connection</c>).</summary>
    public string ProblemType { get; } = problemType;
}
