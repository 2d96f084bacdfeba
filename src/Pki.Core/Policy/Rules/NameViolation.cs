using Smallstep.Pki.Errors;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Policy.Rules;

/// <summary>
/// A refusal found by a <see cref="NameRuleEngine"/>, before it becomes an exception (the common
/// name check needs to look at one and carry on).
/// </summary>
internal sealed record NameViolation(NamePolicyViolationReason Reason, PolicyNameType NameType, string Name, string Detail)
{
    /// <summary>The rule-facing spelling of a name type (<c>dns</c>, <c>cn</c>, ...), as in step-ca's messages.</summary>
    public static string Label(PolicyNameType type) => type switch
    {
        PolicyNameType.CommonName => "cn",
        PolicyNameType.Dns => "dns",
        PolicyNameType.Ip => "ip",
        PolicyNameType.Email => "email",
        PolicyNameType.Uri => "uri",
        _ => "principal",
    };

    /// <summary>A <see cref="NamePolicyViolationReason.NotAllowed"/> refusal.</summary>
    public static NameViolation NotAllowed(PolicyNameType type, string name, string detail) => new(NamePolicyViolationReason.NotAllowed, type, name, detail);

    /// <summary>
    /// The client-facing message, worded as step-ca's <c>NamePolicyError.Error()</c>
    /// (policy/engine.go), e.g. <c>dns name "example.org" not allowed</c>.
    /// </summary>
    public string Message
    {
        get
        {
            var type = Label(NameType);
            var name = GoFormatter.Quote(Name);
            return Reason switch
            {
                NamePolicyViolationReason.NotAllowed => $"{type} name {name} not allowed",
                NamePolicyViolationReason.CannotParseDomain => $"cannot parse {type} domain {name}",
                NamePolicyViolationReason.CannotParseRfc822Name => $"cannot parse {type} rfc822Name {name}",
                _ => $"error matching {type} name {name} to constraint",
            };
        }
    }

    /// <summary>The Forbidden error to throw, with the details as inner exception.</summary>
    public PkiException ToException() => new(PkiErrorKind.Forbidden, Message, new NamePolicyViolationException(Reason, NameType, Name, Detail))
    {
        // policy/engine.go NamePolicyError.As: step-ca's prefix without its usual trailing period.
        // The rule that decided follows in parentheses (step-ca logs it only), so an operator can
        // tell which rule refused a name from the client's error alone.
        ClientMessage = $"The request was forbidden by the certificate authority: {Message} ({Detail})",
    };
}
