namespace Smallstep.Pki.Policy;

/// <summary>The kind of name a policy rule applies to (step-ca policy/engine.go <c>NameType</c>).</summary>
public enum PolicyNameType
{
    /// <summary>The subject common name (<c>cn</c>).</summary>
    CommonName,
    /// <summary>A DNS name (<c>dns</c>).</summary>
    Dns,
    /// <summary>An IP address (<c>ip</c>).</summary>
    Ip,
    /// <summary>An email address (<c>email</c>).</summary>
    Email,
    /// <summary>A URI (<c>uri</c>).</summary>
    Uri,
    /// <summary>An SSH user principal (<c>principal</c>).</summary>
    Principal,
}

/// <summary>Why a name was refused (step-ca policy/engine.go <c>NamePolicyReason</c>).</summary>
public enum NamePolicyViolationReason
{
    /// <summary>A deny rule matched, no allow rule matched, or the name type has no rules while others have allow rules.</summary>
    NotAllowed,
    /// <summary>The domain (of a DNS name or an email address) is not a valid name.</summary>
    CannotParseDomain,
    /// <summary>The email address is not an RFC 2821 mailbox.</summary>
    CannotParseRfc822Name,
    /// <summary>The name cannot be compared with the rules (a URI without host name, or with an IP or <c>*</c> host).</summary>
    CannotMatchNameToConstraint,
}

/// <summary>
/// The details of a name policy refusal: carried as the <see cref="Exception.InnerException"/> of
/// the <see cref="Errors.PkiException"/> (kind Forbidden) that the policy throws, so logs show the
/// rule that refused the name while clients see only step-ca's short message.
/// <see cref="Exception.Message"/> names the name and the rule as configured, for example
/// <c>dns "a.internal.example.com" is excluded by constraint "*.internal.example.com"</c>.
/// </summary>
public sealed class NamePolicyViolationException : Exception
{
    /// <summary>Creates the details of a refusal.</summary>
    /// <param name="reason">Why the name was refused.</param>
    /// <param name="nameType">The type the name was checked as (<see cref="PolicyNameType.CommonName"/> for a subject common name checked as another type).</param>
    /// <param name="name">The refused name as requested.</param>
    /// <param name="detail">The explanation naming the rule.</param>
    public NamePolicyViolationException(NamePolicyViolationReason reason, PolicyNameType nameType, string name, string detail)
        : base(detail)
    {
        Reason = reason;
        NameType = nameType;
        Name = name;
    }

    /// <summary>Why the name was refused.</summary>
    public NamePolicyViolationReason Reason { get; }

    /// <summary>The type the name was checked as.</summary>
    public PolicyNameType NameType { get; }

    /// <summary>The refused name.</summary>
    public string Name { get; }
}
