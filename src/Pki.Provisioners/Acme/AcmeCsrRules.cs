using System.Net;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// step-ca's finalize CSR rules (acme/order.go <c>canonicalize</c>, reference §1.10; RFC 8555 §7.4
/// "the CSR MUST indicate the exact same set of requested identifiers"): the common name joins the
/// names; DNS names lower-cased, de-duplicated and sorted must equal the order's DNS identifiers,
/// IP addresses likewise; email and URI SANs are refused. Stateless.
/// </summary>
public static class AcmeCsrRules
{
    /// <summary>Returns the certificate's SANs (the order's identifiers), or throws <c>badCSR</c>.</summary>
    public static SubjectAlternativeNames Check(CertificationRequest csr, AcmeOrder order)
    {
        ArgumentNullException.ThrowIfNull(csr);
        ArgumentNullException.ThrowIfNull(order);
        if (csr.Sans.EmailAddresses.Count > 0)
        {
            throw AcmeErrors.BadCsr("CSR contains email addresses, which this CA does not validate");
        }
        if (csr.Sans.Uris.Count > 0)
        {
            throw AcmeErrors.BadCsr("CSR contains URIs, which ACME orders cannot name");
        }
        var dnsNames = csr.Sans.DnsNames.ToList();
        var ips = csr.Sans.IpAddresses.ToList();
        var commonName = csr.Subject.CommonName;
        if (commonName.Length > 0)
        {
            // An IP address in the common name counts as the IP identifier it names (RFC 8738 §4).
            if (IPAddress.TryParse(commonName, out var address) && order.Identifiers.Any(i => i.Type == "ip" && IPAddress.TryParse(i.Value, out var ip) && ip.Equals(address)))
            {
                ips.Add(address);
            }
            else
            {
                dnsNames.Add(commonName);
            }
        }
        var csrDns = Canonical(dnsNames);
        var orderDns = Canonical(order.Identifiers.Where(i => i.Type == "dns").Select(i => i.Value));
        if (!csrDns.SequenceEqual(orderDns, StringComparer.Ordinal))
        {
            throw AcmeErrors.BadCsr($"CSR names [{string.Join(", ", csrDns)}] but the order names [{string.Join(", ", orderDns)}]");
        }
        var csrIps = CanonicalIps(ips);
        var orderIps = CanonicalIps(order.Identifiers.Where(i => i.Type == "ip").Select(i => IPAddress.Parse(i.Value)));
        if (!csrIps.SequenceEqual(orderIps))
        {
            throw AcmeErrors.BadCsr($"CSR IP addresses [{string.Join(", ", csrIps)}] differ from the order's [{string.Join(", ", orderIps)}]");
        }
        return new SubjectAlternativeNames(orderDns, [], orderIps.Select(IPAddress.Parse).ToArray(), []);
    }

    private static string[] Canonical(IEnumerable<string> names) =>
        names.Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private static string[] CanonicalIps(IEnumerable<IPAddress> addresses) =>
        addresses.Select(a => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}
