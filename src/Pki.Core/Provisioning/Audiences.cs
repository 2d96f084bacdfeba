namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The token audiences each operation accepts, derived from ca.json <c>dnsNames</c> as step-ca
/// does (authority/config/config.go <c>GetAudiences</c>). Comparison ignores ports so proxies on
/// other ports keep working (authority/provisioner/utils.go <c>matchesAudience</c>).
/// </summary>
public sealed class Audiences
{
    /// <summary>The legacy audience step-ca still accepts for sign and revoke.</summary>
    public const string Legacy = "step-certificate-authority";

    /// <summary>Builds the sets for the given DNS names (IPv6 literals are bracketed).</summary>
    public Audiences(IEnumerable<string> dnsNames)
    {
        var hosts = dnsNames.Select(h => h.Contains(':') && !h.StartsWith('[') ? $"[{h}]" : h).ToArray();
        Sign = Build(hosts, [Legacy], "/1.0/sign", "/sign", "/1.0/ssh/sign", "/ssh/sign");
        Renew = Build(hosts, [], "/1.0/renew", "/renew");
        Revoke = Build(hosts, [Legacy], "/1.0/revoke", "/revoke");
        SshSign = Build(hosts, [], "/1.0/ssh/sign", "/ssh/sign", "/1.0/sign", "/sign");
        SshRevoke = Build(hosts, [], "/1.0/ssh/revoke", "/ssh/revoke");
        SshRenew = Build(hosts, [], "/1.0/ssh/renew", "/ssh/renew");
        SshRekey = Build(hosts, [], "/1.0/ssh/rekey", "/ssh/rekey");
        All = new AudienceSet([.. Sign.Values, .. Renew.Values, .. Revoke.Values, .. SshSign.Values, .. SshRevoke.Values, .. SshRenew.Values, .. SshRekey.Values]);
    }

    /// <summary>X.509 sign.</summary>
    public AudienceSet Sign { get; }
    /// <summary>Renew tokens.</summary>
    public AudienceSet Renew { get; }
    /// <summary>X.509 revoke.</summary>
    public AudienceSet Revoke { get; }
    /// <summary>SSH sign.</summary>
    public AudienceSet SshSign { get; }
    /// <summary>SSH revoke.</summary>
    public AudienceSet SshRevoke { get; }
    /// <summary>SSH renew.</summary>
    public AudienceSet SshRenew { get; }
    /// <summary>SSH rekey.</summary>
    public AudienceSet SshRekey { get; }
    /// <summary>The union of every operation's audiences (what <c>LoadByToken</c> matches first).</summary>
    public AudienceSet All { get; }

    private static AudienceSet Build(string[] hosts, string[] extra, params string[] paths) =>
        new([.. extra, .. hosts.SelectMany(h => paths.Select(p => $"https://{h}{p}"))]);
}

/// <summary>A set of audiences with step-ca's port-insensitive matching. Immutable, thread-safe.</summary>
public sealed class AudienceSet
{
    private readonly HashSet<string> _normalized;

    /// <summary>Creates the set.</summary>
    public AudienceSet(IEnumerable<string> values)
    {
        Values = values.Distinct(StringComparer.Ordinal).ToArray();
        _normalized = new HashSet<string>(Values.Select(StripPort), StringComparer.Ordinal);
    }

    /// <summary>The audiences as configured.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>True when any of <paramref name="audiences"/> is in the set (ports ignored).</summary>
    public bool Matches(IEnumerable<string> audiences) => audiences.Any(a => _normalized.Contains(StripPort(a)));

    /// <summary>The same set with <c>#fragment</c> appended to every entry (X5C, SSHPOP, ... tokens).</summary>
    public AudienceSet WithFragment(string fragment) => new(Values.Select(v => v + "#" + fragment));

    /// <summary>Removes the port from the authority of an absolute URL; other strings are returned unchanged.</summary>
    internal static string StripPort(string audience)
    {
        var schemeEnd = audience.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return audience;
        }
        var hostStart = schemeEnd + 3;
        var hostEnd = audience.IndexOfAny(['/', '?', '#'], hostStart);
        if (hostEnd < 0)
        {
            hostEnd = audience.Length;
        }
        var authority = audience[hostStart..hostEnd];
        var at = authority.LastIndexOf('@');
        var hostPort = authority[(at + 1)..];
        var colon = hostPort.LastIndexOf(':');
        if (colon < 0 || hostPort.IndexOf(']', colon) >= 0)
        {
            return audience;
        }
        return audience[..(hostStart + at + 1 + colon)] + audience[hostEnd..];
    }
}
