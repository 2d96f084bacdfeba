using System.Net;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Policy.Matching;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Policy.Rules;

/// <summary>
/// One allow/deny rule set evaluated with step-ca's semantics (policy/validate.go
/// <c>validateNames</c> and <c>validateCommonName</c>): deny rules first; allow rules of a type
/// must match when there are any; a name whose type has no rules at all is refused when the set
/// has allow rules of other types. Names are checked in the order DNS, IP, email, URI, principal
/// and the first refusal wins. Immutable and thread-safe.
/// </summary>
internal sealed class NameRuleEngine
{
    private readonly NameRules _allow;
    private readonly NameRules _deny;
    private readonly bool _allowWildcardNames;
    private readonly bool _refuseLiteralWildcards;

    /// <param name="allow">The allow (permitted) rules.</param>
    /// <param name="deny">The deny (excluded) rules.</param>
    /// <param name="allowWildcardNames">Whether literal <c>*.example.com</c> names may match rules.</param>
    /// <param name="refuseLiteralWildcards">
    /// Refuse a literal wildcard DNS name outright when <paramref name="allowWildcardNames"/> is
    /// false (the X.509 policy). step-ca instead lets such a name pass when no allow rule covers DNS
    /// names (deny-only policies), so a deny rule never catches it; we close that gap.
    /// </param>
    public NameRuleEngine(NameRules allow, NameRules deny, bool allowWildcardNames, bool refuseLiteralWildcards)
    {
        _allow = allow;
        _deny = deny;
        _allowWildcardNames = allowWildcardNames;
        _refuseLiteralWildcards = refuseLiteralWildcards && !allowWildcardNames;
    }

    private bool HasAllowRules => _allow.Count > 0;

    /// <summary>The first refused name, or null when all are allowed.</summary>
    public NameViolation? CheckNames(IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> ips, IReadOnlyList<string> emails, IReadOnlyList<string> uris, IReadOnlyList<string> principals)
    {
        if (_allow.Count + _deny.Count == 0)
        {
            return null;
        }
        foreach (var dns in dnsNames)
        {
            if (CheckDns(dns) is { } violation)
            {
                return violation;
            }
        }
        foreach (var ip in ips)
        {
            var address = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
            var name = address.ToString();
            if (Unlisted(PolicyNameType.Ip, name, _allow.Ips.Count + _deny.Ips.Count) is { } unlisted)
            {
                return unlisted;
            }
            if (Check(PolicyNameType.Ip, name, _deny.Ips, _allow.Ips, rule => rule.Range.Contains(address)) is { } violation)
            {
                return violation;
            }
        }
        foreach (var email in emails)
        {
            if (CheckEmail(email) is { } violation)
            {
                return violation;
            }
        }
        foreach (var uri in uris)
        {
            if (CheckUri(uri) is { } violation)
            {
                return violation;
            }
        }
        foreach (var principal in principals)
        {
            if (Unlisted(PolicyNameType.Principal, principal, _allow.Principals.Count + _deny.Principals.Count, "username principal") is { } unlisted)
            {
                return unlisted;
            }
            if (Check(PolicyNameType.Principal, principal, _deny.Principals, _allow.Principals,
                rule => rule.Value == "*" || string.Equals(principal, rule.Value, StringComparison.OrdinalIgnoreCase)) is { } violation)
            {
                return violation;
            }
        }
        return null;
    }

    /// <summary>
    /// Checks a subject common name: empty ones are skipped; a <c>cn</c> deny rule refuses it; a
    /// <c>cn</c> allow rule accepts it at once; otherwise it is checked as the SAN type it looks
    /// like, and a refusal is reported as type <c>cn</c>.
    /// </summary>
    /// <remarks>
    /// Stricter than step-ca's validateCommonName, on purpose: there a matching <c>cn</c> deny rule
    /// only sends the name on to the SAN rules (which may accept it), and with deny-only <c>cn</c>
    /// rules any other name is accepted without the SAN rules (so <c>allow.dns</c> plus
    /// <c>deny.cn</c> let <c>CN=evil.org</c> through). Here deny is final and only an explicit
    /// <c>cn</c> allow rule skips the SAN rules (docs/policies.md).
    /// </remarks>
    public NameViolation? CheckCommonName(string commonName)
    {
        if (_allow.Count + _deny.Count == 0 || commonName.Length == 0)
        {
            return null;
        }
        bool Matches(LiteralRule rule) => string.Equals(commonName, rule.Value, StringComparison.OrdinalIgnoreCase);
        if (_deny.CommonNames.Count > 0 && Check(PolicyNameType.CommonName, commonName, _deny.CommonNames, [], Matches) is { } denied)
        {
            return denied;
        }
        if (_allow.CommonNames.Any(Matches))
        {
            return null;
        }
        var split = SubjectAlternativeNames.Split([commonName]);
        return CheckNames(split.DnsNames, split.IpAddresses, split.EmailAddresses, split.Uris, []) is { } violation
            ? violation with { NameType = PolicyNameType.CommonName }
            : null;
    }

    private NameViolation? CheckDns(string dns)
    {
        if (Unlisted(PolicyNameType.Dns, dns, _allow.Dns.Count + _deny.Dns.Count) is { } unlisted)
        {
            return unlisted;
        }
        var wildcard = dns.StartsWith("*.", StringComparison.Ordinal);
        if (wildcard && _refuseLiteralWildcards)
        {
            return NameViolation.NotAllowed(PolicyNameType.Dns, dns, $"dns {Q(dns)} is a literal wildcard name and allowWildcardNames is not set");
        }
        var ascii = IdnaLookup.ToAscii(wildcard ? dns[1..] : dns);
        if (ascii is null)
        {
            return new NameViolation(NamePolicyViolationReason.CannotParseDomain, PolicyNameType.Dns, dns, $"dns {Q(dns)} cannot be converted to ASCII");
        }
        ascii = wildcard ? "*" + ascii : ascii;
        if (!DomainName.HasValidLabels(ascii))
        {
            return new NameViolation(NamePolicyViolationReason.CannotParseDomain, PolicyNameType.Dns, dns, $"cannot parse dns {Q(dns)}");
        }
        return Check(PolicyNameType.Dns, dns, _deny.Dns, _allow.Dns, rule => MatchesDomain(ascii, rule.Domain, rule.OneExtraLabel));
    }

    private NameViolation? CheckEmail(string email)
    {
        if (Unlisted(PolicyNameType.Email, email, _allow.Emails.Count + _deny.Emails.Count) is { } unlisted)
        {
            return unlisted;
        }
        if (!Mailbox.TryParse(email, out var mailbox))
        {
            return new NameViolation(NamePolicyViolationReason.CannotParseRfc822Name, PolicyNameType.Email, email, $"invalid rfc822Name {Q(email)}");
        }
        // RFC 5280 §7.5: local parts compare exactly, domains case-insensitively. The domain is
        // ASCII already (the mailbox parser refuses anything else), so IDNA leaves it unchanged.
        return Check(PolicyNameType.Email, email, _deny.Emails, _allow.Emails, rule => rule.Local is null
            ? MatchesDomain(mailbox.Domain, rule.Domain, oneExtraLabel: false)
            : mailbox.Local == rule.Local && string.Equals(mailbox.Domain, rule.Domain, StringComparison.OrdinalIgnoreCase));
    }

    private NameViolation? CheckUri(string uri)
    {
        if (Unlisted(PolicyNameType.Uri, uri, _allow.Uris.Count + _deny.Uris.Count) is { } unlisted)
        {
            return unlisted;
        }
        if (_allow.Uris.Count + _deny.Uris.Count == 0)
        {
            return null;
        }
        var host = UriHost.HostName(uri, forNamePolicy: true, out var error);
        if (host is null)
        {
            return new NameViolation(NamePolicyViolationReason.CannotMatchNameToConstraint, PolicyNameType.Uri, uri, error);
        }
        if (!IsMatchableDomain(host))
        {
            return Check<DomainRule>(PolicyNameType.Uri, uri, _deny.Uris, _allow.Uris, _ => false);
        }
        if (!DomainName.HasValidLabels(host))
        {
            return new NameViolation(NamePolicyViolationReason.CannotMatchNameToConstraint, PolicyNameType.Uri, uri, $"cannot parse domain {Q(host)}");
        }
        return Check(PolicyNameType.Uri, uri, _deny.Uris, _allow.Uris, rule => MatchesDomain(host, rule.Domain, rule.OneExtraLabel));
    }

    // A type without any rule in a set that has allow rules is not permitted (validate.go).
    private NameViolation? Unlisted(PolicyNameType type, string name, int rulesOfType, string? what = null) => rulesOfType == 0 && HasAllowRules
        ? NameViolation.NotAllowed(type, name, $"{what ?? NameViolation.Label(type)} {Q(name)} is not explicitly permitted by any constraint")
        : null;

    // checkNameConstraints: any deny rule refuses; then one allow rule must match, if there are any.
    private static NameViolation? Check<TRule>(PolicyNameType type, string name, IReadOnlyList<TRule> deny, IReadOnlyList<TRule> allow, Func<TRule, bool> matches)
        where TRule : INameRule
    {
        var label = NameViolation.Label(type);
        foreach (var rule in deny)
        {
            if (matches(rule))
            {
                return NameViolation.NotAllowed(type, name, $"{label} {Q(name)} is excluded by constraint {Q(rule.Text)}");
            }
        }
        if (allow.Count == 0 || allow.Any(matches))
        {
            return null;
        }
        return NameViolation.NotAllowed(type, name, $"{label} {Q(name)} is not permitted by any constraint");
    }

    // matchDomainConstraint's early refusals: names no rule can match (empty, a leading dot, a
    // malformed or disallowed wildcard).
    private bool IsMatchableDomain(string domain) => domain.Length > 0 && domain != " " && domain[0] != '.'
        && !(domain[0] == '*' && (domain.Length < 2 || domain[1] != '.'))
        && !(domain.StartsWith("*.", StringComparison.Ordinal) && !_allowWildcardNames)
        && domain.LastIndexOf('*') <= 0;

    // A rule "example.com" matches exactly that name, "*.example.com" exactly one label more
    // (a literal wildcard name counts its "*" as that label).
    private bool MatchesDomain(string domain, string ruleDomain, bool oneExtraLabel) =>
        IsMatchableDomain(domain) && DomainName.ExtraLabels(domain, ruleDomain) == (oneExtraLabel ? 1 : 0);

    private static string Q(string value) => GoFormatter.Quote(value);
}
