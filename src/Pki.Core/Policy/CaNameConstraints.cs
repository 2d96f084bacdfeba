using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Policy.Constraints;
using Smallstep.Pki.Policy.Matching;
using Smallstep.Pki.Policy.Names;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Policy;

/// <summary>
/// The name constraints of the CA's own certificates (intermediates and root), enforced on every
/// certificate the CA issues or renews so it never signs a certificate that its chain forbids
/// (step-ca authority/internal/constraints). Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>Matching is Go's crypto/x509 (RFC 5280 §4.2.1.10 as Go verifies chains): a DNS or URI
/// constraint <c>example.com</c> matches that name and any subdomain, <c>.example.com</c> only
/// subdomains; an email constraint with <c>@</c> is one mailbox, otherwise a domain matched like a DNS
/// constraint; IP constraints are networks. Names are compared case-insensitively, without IDNA.
/// URIs must have a host name (not an IP). Only SANs are checked, not the subject common name.</para>
/// <para>Each certificate's constraints are checked on their own, so a name must satisfy every
/// constrained certificate of the chain (RFC 5280 §6.1.3). step-ca instead pools the constraints of
/// all chain certificates, which accepts a name permitted by any one of them.</para>
/// <para>directoryName and the other name types are not enforced (neither does step-ca); they are
/// listed in <see cref="IgnoredConstraints"/> so the host can warn about them.</para>
/// </remarks>
public sealed class CaNameConstraints
{
    private readonly (string Certificate, NameConstraintsExtension Constraints)[] _constraints;

    private CaNameConstraints((string, NameConstraintsExtension)[] constraints)
    {
        _constraints = constraints;
        IgnoredConstraints = [.. constraints.SelectMany(c => c.Item2.Ignored.Select(i => $"{c.Item1}: {i}"))];
    }

    /// <summary>No constraints: every name is allowed.</summary>
    public static CaNameConstraints None { get; } = new([]);

    /// <summary>True when no chain certificate has a name constraint of a supported type.</summary>
    public bool IsEmpty => _constraints.All(c => c.Constraints.Permitted.Count + c.Constraints.Excluded.Count == 0);

    /// <summary>Constraints that are present but not enforced, e.g. <c>CN=Intermediate: permitted directoryName</c>.</summary>
    public IReadOnlyList<string> IgnoredConstraints { get; }

    /// <summary>Reads the NameConstraints extensions of the CA certificates.</summary>
    /// <param name="chain">The intermediate(s) and root; certificates without the extension are skipped.</param>
    /// <exception cref="PkiException">Internal, naming the certificate, when an extension is malformed.</exception>
    public static CaNameConstraints FromChain(IEnumerable<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var list = new List<(string, NameConstraintsExtension)>();
        foreach (var certificate in chain)
        {
            if (certificate.Extensions[Oids.NameConstraints] is not { } extension)
            {
                continue;
            }
            try
            {
                list.Add((certificate.Subject, NameConstraintsExtension.Decode(extension.RawData)));
            }
            catch (FormatException e)
            {
                throw PkiException.Internal($"CA certificate \"{certificate.Subject}\" has an invalid name constraints extension: {e.Message}", e);
            }
        }
        return new CaNameConstraints([.. list]);
    }

    /// <summary>Checks the SANs <paramref name="certificate"/> will carry (including a subjectAltName extension supplied by a template or renewal).</summary>
    /// <exception cref="PkiException">Forbidden when a name violates a constraint; BadRequest when the description holds invalid DER.</exception>
    public void Check(X509CertificateDescription certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!IsEmpty)
        {
            Check(CertificateNames.From(certificate).Sans);
        }
    }

    /// <summary>Checks SANs against every constrained CA certificate (step-ca <c>Engine.Validate</c>).</summary>
    /// <exception cref="PkiException">Forbidden when a name violates a constraint, with step-ca's message, e.g. <c>DNS name "a.example.org" is not permitted by any constraint</c>.</exception>
    public void Check(SubjectAlternativeNames sans)
    {
        ArgumentNullException.ThrowIfNull(sans);
        foreach (var (_, constraints) in _constraints)
        {
            Check(sans, constraints.Permitted, constraints.Excluded);
        }
    }

    private static void Check(SubjectAlternativeNames sans, ConstraintSubtrees permitted, ConstraintSubtrees excluded)
    {
        if (permitted.Count + excluded.Count == 0)
        {
            return;
        }
        foreach (var dns in sans.DnsNames)
        {
            Check("DNS name", dns, excluded.DnsNames, permitted.DnsNames, constraint => MatchesDomain(dns, constraint));
        }
        foreach (var ip in sans.IpAddresses)
        {
            var address = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
            Check("IP address", address.ToString(), excluded.IpRanges, permitted.IpRanges, range => range.Contains(address));
        }
        foreach (var email in sans.EmailAddresses)
        {
            if (!Mailbox.TryParse(email, out var mailbox))
            {
                throw Refused($"cannot parse rfc822Name {Q(email)}");
            }
            Check("Email address", email, excluded.Emails, permitted.Emails, constraint => constraint.Contains('@', StringComparison.Ordinal)
                ? Mailbox.TryParse(constraint, out var c) && mailbox.Local == c.Local && string.Equals(mailbox.Domain, c.Domain, StringComparison.OrdinalIgnoreCase)
                : MatchesDomain(mailbox.Domain, constraint));
        }
        foreach (var uri in sans.Uris)
        {
            if (excluded.UriDomains.Count + permitted.UriDomains.Count == 0)
            {
                continue;
            }
            var host = UriHost.HostName(uri, forNamePolicy: false, out var error) ?? throw Refused(error);
            Check("URI", uri, excluded.UriDomains, permitted.UriDomains, constraint => MatchesDomain(host, constraint));
        }
    }

    // checkNameConstraints (authority/internal/constraints/verify.go): excluded first, then one
    // permitted constraint must match when there are any.
    private static void Check<T>(string type, string name, IReadOnlyList<T> excluded, IReadOnlyList<T> permitted, Func<T, bool> matches)
        where T : notnull
    {
        foreach (var constraint in excluded)
        {
            if (matches(constraint))
            {
                throw Refused($"{type} {Q(name)} is excluded by constraint {Q(constraint.ToString()!)}");
            }
        }
        if (permitted.Count > 0 && !permitted.Any(matches))
        {
            throw Refused($"{type} {Q(name)} is not permitted by any constraint");
        }
    }

    // matchDomainConstraint: "" matches everything; "example.com" the name and its subdomains;
    // ".example.com" subdomains only.
    private static bool MatchesDomain(string domain, string constraint)
    {
        if (constraint.Length == 0)
        {
            return true;
        }
        if (!DomainName.HasValidLabels(domain))
        {
            throw Refused($"cannot parse domain {Q(domain)}");
        }
        var subdomainsOnly = constraint[0] == '.';
        var extra = DomainName.ExtraLabels(domain, subdomainsOnly ? constraint[1..] : constraint);
        return extra > (subdomainsOnly ? 0 : -1);
    }

    private static string Q(string value) => GoFormatter.Quote(value);

    // authority/internal/constraints ConstraintError.As: the detail is the whole client message.
    private static PkiException Refused(string detail) => new(PkiErrorKind.Forbidden, detail) { ClientMessage = detail };
}
