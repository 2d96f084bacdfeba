using Smallstep.Pki.Configuration;
using Smallstep.Pki.Policy.Matching;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Policy.Rules;

/// <summary>
/// Checks and normalises configured rules as step-ca does when it builds a policy engine
/// (policy/options.go <c>normalizeAndValidate*</c>): trimmed, lower-cased, IDNA to ASCII, and
/// <c>*.example.com</c> stored as "one more label than example.com". A bad rule is reported with
/// its JSON path and step-ca's reason; it never reaches an engine.
/// </summary>
internal sealed class RuleCompiler(List<ConfigDiagnostic> errors)
{
    /// <summary>Compiles one allow/deny list of the X.509 policy (<c>cn</c>, <c>dns</c>, <c>ip</c>, <c>email</c>, <c>uri</c>).</summary>
    public NameRules Compile(X509NamesConfig names, string path) => new(
        Each(names.CommonNames, $"{path}.cn", CommonName),
        Each(names.Dns, $"{path}.dns", Dns),
        Each(names.Ip, $"{path}.ip", Ip),
        Each(names.Email, $"{path}.email", Email),
        Each(names.Uri, $"{path}.uri", Uri),
        []);

    /// <summary>Compiles one allow/deny list of an SSH policy (<c>dns</c>, <c>ip</c>, <c>email</c>, <c>principal</c>).</summary>
    public NameRules Compile(SshNamesConfig names, string path) => new(
        [],
        Each(names.Dns, $"{path}.dns", Dns),
        Each(names.Ip, $"{path}.ip", Ip),
        Each(names.Email, $"{path}.email", Email),
        [],
        // step-ca takes principals as they are (policy/options.go WithPermittedPrincipals).
        Each<LiteralRule>(names.Principal, $"{path}.principal", static text => (new LiteralRule(text, text), null)));

    private List<T> Each<T>(IReadOnlyList<string>? values, string path, Func<string, (T? Rule, string? Error)> compile)
        where T : class
    {
        var rules = new List<T>();
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            var (rule, error) = compile(values![i]);
            if (rule is null)
            {
                errors.Add(ConfigDiagnostic.Error($"{path}[{i}]", error!));
            }
            else
            {
                rules.Add(rule);
            }
        }
        return rules;
    }

    private static (LiteralRule?, string?) CommonName(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        return value switch
        {
            "" => (null, $"constraint {Q(text)} can not be empty or white space string"),
            "*" => (null, $"wildcard constraint {Q(text)} is not supported"),
            _ => (new LiteralRule(text, value), null),
        };
    }

    private static (DomainRule?, string?) Dns(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        string? error = value switch
        {
            "" => $"constraint {Q(text)} can not be empty or white space string",
            _ when value.Contains("..", StringComparison.Ordinal) => $"domain constraint {Q(text)} cannot have empty labels",
            _ when value.StartsWith('.') => $"domain constraint {Q(text)} with wildcard should start with *",
            _ when value.LastIndexOf('*') > 0 => $"domain constraint {Q(text)} can only have wildcard as starting character",
            _ when value.Length >= 2 && value[0] == '*' && value[1] != '.' => $"wildcard character in domain constraint {Q(text)} can only be used to match (full) labels",
            _ => null,
        };
        return error is null ? Domain(text, value, "domain constraint") : (null, error);
    }

    private static (DomainRule?, string?) Uri(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        var bare = value.StartsWith("*.", StringComparison.Ordinal) ? value[1..] : value;
        string? error = value switch
        {
            "" => $"URI domain constraint {Q(text)} cannot be empty or white space string",
            _ when value.Contains("://", StringComparison.Ordinal) => $"URI domain constraint {Q(text)} contains scheme (not supported yet)",
            _ when value.Contains("..", StringComparison.Ordinal) => $"URI domain constraint {Q(text)} cannot have empty labels",
            _ when value.StartsWith('.') => $"URI domain constraint {Q(text)} with wildcard should start with *",
            _ when value.LastIndexOf('*') > 0 => $"URI domain constraint {Q(text)} can only have wildcard as starting character",
            _ when bare.Contains('[', StringComparison.Ordinal) || bare.Contains(']', StringComparison.Ordinal) => $"URI domain constraint {Q(text)} contains invalid square brackets",
            _ when HasPort(bare) => $"URI domain constraint {Q(text)} cannot contain port",
            _ when IpRange.IsAddress(bare) => $"URI domain constraint {Q(text)} cannot be an IP",
            _ => null,
        };
        return error is null ? Domain(text, value, "URI domain constraint") : (null, error);
    }

    // "*.example.com" keeps its dot ("one more label"), then IDNA and the label check.
    private static (DomainRule?, string?) Domain(string text, string value, string what)
    {
        var oneExtraLabel = value.StartsWith("*.", StringComparison.Ordinal);
        var ascii = IdnaLookup.ToAscii(oneExtraLabel ? value[1..] : value);
        if (ascii is null)
        {
            return (null, $"{what} {Q(text)} can not be converted to ASCII");
        }
        return DomainName.HasValidLabels(ascii)
            ? (new DomainRule(text, oneExtraLabel ? ascii[1..] : ascii, oneExtraLabel), null)
            : (null, $"cannot parse {what} {Q(text)}");
    }

    private static (EmailRule?, string?) Email(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        if (value.Length == 0)
        {
            return (null, $"email constraint {Q(text)} can not be empty or white space string");
        }
        if (value.Contains('*', StringComparison.Ordinal))
        {
            return (null, $"email constraint {Q(text)} cannot contain asterisk wildcard");
        }
        if (value.Count(c => c == '@') > 1)
        {
            return (null, $"email constraint {Q(text)} contains too many @ characters");
        }
        value = value.StartsWith('@') ? value[1..] : value;
        if (value.Length == 0)
        {
            // Go indexes the empty rest and panics here; refuse it like an empty rule.
            return (null, $"email constraint {Q(text)} can not be empty or white space string");
        }
        if (value[0] == '.')
        {
            return (null, $"email constraint {Q(text)} cannot start with period");
        }
        if (!value.Contains('@', StringComparison.Ordinal))
        {
            var domain = IdnaLookup.ToAscii(value);
            if (domain is null)
            {
                return (null, $"email constraint {Q(text)} cannot be converted to ASCII");
            }
            return DomainName.HasValidLabels(domain) ? (new EmailRule(text, null, domain), null) : (null, $"cannot parse email domain constraint {Q(text)}");
        }
        if (!Mailbox.TryParse(value, out var mailbox))
        {
            return (null, $"cannot parse email constraint {Q(text)} as RFC 2821 mailbox");
        }
        var mailboxDomain = IdnaLookup.ToAscii(mailbox.Domain);
        if (mailboxDomain is null)
        {
            return (null, $"email constraint {Q(text)} domain part {Q(mailbox.Domain)} cannot be converted to ASCII");
        }
        // step-ca lower-cases the whole rule, local part included, and then compares local parts
        // exactly: a rule can only ever match lower-case local parts (policy/options.go).
        return DomainName.HasValidLabels($"{mailbox.Local}@{mailboxDomain}")
            ? (new EmailRule(text, mailbox.Local, mailboxDomain), null)
            : (null, $"cannot parse email domain constraint {Q(text)}");
    }

    private static (IpRule?, string?) Ip(string text) => IpRange.ParseRule(text) is { } range
        ? (new IpRule(text, range), null)
        : (null, $"cannot parse constraint {Q(text)} as IP nor CIDR");

    // net.SplitHostPort succeeds when the part before the last colon has no colon of its own.
    private static bool HasPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon >= 0 && !value.AsSpan(0, colon).Contains(':');
    }

    private static string Q(string value) => GoFormatter.Quote(value);
}
