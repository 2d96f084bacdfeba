using System.Net;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Policy.Names;

/// <summary>
/// SSH certificate principals split into the name types a policy checks (step-ca policy/engine.go
/// <c>splitSSHPrincipals</c>, which reuses <c>x509util.SplitSANs</c>).
/// </summary>
internal sealed record SshPrincipals(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> Ips, IReadOnlyList<string> Emails, IReadOnlyList<string> Principals)
{
    /// <summary>
    /// User certificates: email-looking principals are emails, everything else (including names
    /// that look like hosts, such as <c>h.slatman</c>) is a username principal; IP and URI
    /// principals are refused.
    /// </summary>
    /// <exception cref="PkiException">Forbidden for IP or URI principals.</exception>
    public static SshPrincipals ForUser(IEnumerable<string> principals)
    {
        var split = CertificateNames.Split(principals);
        // Go reports the URIs when there are both.
        if (split.Uris.Count > 0)
        {
            throw PkiException.Forbidden($"URL principals [{string.Join(' ', split.Uris)}] not expected in SSH user certificate");
        }
        if (split.IpAddresses.Count > 0)
        {
            throw PkiException.Forbidden($"IP principals [{string.Join(' ', split.IpAddresses)}] not expected in SSH user certificate");
        }
        return new SshPrincipals([], [], split.EmailAddresses, split.DnsNames);
    }

    /// <summary>
    /// Host certificates: principals are DNS names, IPs or emails — never username principals, so
    /// <c>principal</c> rules in a host policy match nothing; URI principals are refused.
    /// </summary>
    /// <exception cref="PkiException">Forbidden for URI principals.</exception>
    public static SshPrincipals ForHost(IEnumerable<string> principals)
    {
        var split = CertificateNames.Split(principals);
        if (split.Uris.Count > 0)
        {
            throw PkiException.Forbidden($"URL principals [{string.Join(' ', split.Uris)}] not expected in SSH host certificate");
        }
        return new SshPrincipals(split.DnsNames, split.IpAddresses, split.EmailAddresses, []);
    }
}
