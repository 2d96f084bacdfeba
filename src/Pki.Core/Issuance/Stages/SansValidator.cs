using System.Net;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Issuance.Stages;

/// <summary>
/// The CSR's SANs of each type must equal, as a set, the SANs the provisioner vouches for; a type
/// the CSR omits is not checked (sign_options.go <c>defaultSANsValidator</c>).
/// </summary>
public sealed class SansValidator(SubjectAlternativeNames allowed) : IRequestValidator<CertificationRequest>
{
    /// <inheritdoc />
    public void Validate(CertificationRequest csr)
    {
        Check(csr.Sans.DnsNames, allowed.DnsNames, "DNS names");
        Check(csr.Sans.EmailAddresses, allowed.EmailAddresses, "email addresses");
        Check(csr.Sans.IpAddresses.Select(Normalize).ToArray(), allowed.IpAddresses.Select(Normalize).ToArray(), "IP addresses");
        Check(csr.Sans.Uris, allowed.Uris, "URIs");
    }

    private static string Normalize(IPAddress ip) => (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();

    private static void Check(IReadOnlyList<string> got, IReadOnlyList<string> want, string what)
    {
        if (got.Count == 0 || got.ToHashSet(StringComparer.Ordinal).SetEquals(want))
        {
            return;
        }
        // Go prints slices as [a b].
        throw PkiException.Forbidden($"certificate request does not contain the valid {what} - got [{string.Join(' ', got)}], want [{string.Join(' ', want)}]");
    }
}
