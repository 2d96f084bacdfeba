using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Policy.Names;
using Smallstep.Pki.Policy.Rules;

namespace Smallstep.Pki.Policy;

/// <summary>
/// The X.509 part of a name policy (<c>policy.x509</c>): which subject common names and SANs may
/// be certified. Built by <see cref="NamePolicy"/>; immutable and thread-safe.
/// </summary>
/// <remarks>
/// Semantics are step-ca's (policy/validate.go): with no rules everything is allowed; deny rules
/// are checked first; a name must match an allow rule of its type when there are any; a name type
/// with no rules is refused when other types have allow rules. See docs/policies.md.
/// </remarks>
public sealed class X509NamePolicy
{
    private readonly NameRuleEngine? _engine;

    internal X509NamePolicy(NameRuleEngine? engine) => _engine = engine;

    /// <summary>A policy without rules: allows every name.</summary>
    public static X509NamePolicy None { get; } = new(null);

    /// <summary>True when there are no rules (step-ca builds no engine then), so every name is allowed.</summary>
    public bool IsEmpty => _engine is null;

    /// <summary>
    /// Checks the names <paramref name="certificate"/> will carry: its SANs (including those of a
    /// subjectAltName extension supplied by a template or a renewal), then its subject common name.
    /// </summary>
    /// <exception cref="PkiException">Forbidden when a name is refused (the inner <see cref="NamePolicyViolationException"/> names the rule); BadRequest when the description holds invalid DER.</exception>
    public void Check(X509CertificateDescription certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (_engine is not null)
        {
            var names = CertificateNames.From(certificate);
            Check(names.CommonName, names.Sans);
        }
    }

    /// <summary>Checks SANs, then the subject common name (step-ca <c>IsX509CertificateAllowed</c>).</summary>
    /// <param name="commonName">The subject common name; null or empty is not checked.</param>
    /// <param name="sans">The subject alternative names.</param>
    /// <exception cref="PkiException">Forbidden when a name is refused.</exception>
    public void Check(string? commonName, SubjectAlternativeNames sans)
    {
        ArgumentNullException.ThrowIfNull(sans);
        if (_engine is null)
        {
            return;
        }
        var violation = _engine.CheckNames(sans.DnsNames, sans.IpAddresses, sans.EmailAddresses, sans.Uris, [])
            ?? _engine.CheckCommonName(commonName ?? "");
        if (violation is not null)
        {
            throw violation.ToException();
        }
    }

    /// <summary>
    /// Checks free-form names such as ACME order identifiers, split by their look (IP, URI, email,
    /// else DNS; empty strings skipped), without a common name (step-ca <c>AreSANsAllowed</c>).
    /// </summary>
    /// <exception cref="PkiException">Forbidden when a name is refused.</exception>
    public void CheckSans(IEnumerable<string> sans)
    {
        ArgumentNullException.ThrowIfNull(sans);
        if (_engine is null)
        {
            return;
        }
        var split = CertificateNames.Split(sans);
        if (_engine.CheckNames(split.DnsNames, split.IpAddresses, split.EmailAddresses, split.Uris, []) is { } violation)
        {
            throw violation.ToException();
        }
    }
}
