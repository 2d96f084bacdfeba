using Smallstep.Pki.Policy.Matching;

namespace Smallstep.Pki.Policy.Rules;

/// <summary>A rule as configured (<see cref="Text"/>, quoted in refusal details) in its normalised form.</summary>
internal interface INameRule
{
    /// <summary>The rule as written in the configuration.</summary>
    string Text { get; }
}

/// <summary>A <c>dns</c> or <c>uri</c> rule: a lower-case ASCII domain, <c>*.</c> meaning exactly one more label.</summary>
internal sealed record DomainRule(string Text, string Domain, bool OneExtraLabel) : INameRule;

/// <summary>An <c>email</c> rule: a mailbox (local part compared exactly) or, with no local part, a whole domain.</summary>
internal sealed record EmailRule(string Text, string? Local, string Domain) : INameRule;

/// <summary>An <c>ip</c> rule: a network.</summary>
internal sealed record IpRule(string Text, IpRange Range) : INameRule;

/// <summary>A <c>cn</c> or <c>principal</c> rule: a literal compared case-insensitively.</summary>
internal sealed record LiteralRule(string Text, string Value) : INameRule;

/// <summary>One side (allow or deny) of a policy: the normalised rules of each name type. Immutable.</summary>
internal sealed record NameRules(
    IReadOnlyList<LiteralRule> CommonNames,
    IReadOnlyList<DomainRule> Dns,
    IReadOnlyList<IpRule> Ips,
    IReadOnlyList<EmailRule> Emails,
    IReadOnlyList<DomainRule> Uris,
    IReadOnlyList<LiteralRule> Principals)
{
    /// <summary>No rules.</summary>
    public static NameRules None { get; } = new([], [], [], [], [], []);

    /// <summary>The number of rules of all types.</summary>
    public int Count => CommonNames.Count + Dns.Count + Ips.Count + Emails.Count + Uris.Count + Principals.Count;
}
