using Smallstep.Pki.Errors;
using Smallstep.Pki.Policy.Names;
using Smallstep.Pki.Policy.Rules;

namespace Smallstep.Pki.Policy;

/// <summary>
/// The SSH part of a name policy (<c>policy.ssh</c>): separate rules for user and host
/// certificates. Built by <see cref="NamePolicy"/>; immutable and thread-safe.
/// </summary>
/// <remarks>
/// When only one of the two has rules, certificates of the other type are refused outright (step-ca
/// authority/policy/engine.go <c>IsSSHCertificateAllowed</c> and, for provisioners,
/// authority/provisioner/sign_ssh_options.go <c>sshNamePolicyValidator</c>).
/// </remarks>
public sealed class SshNamePolicy
{
    private readonly NameRuleEngine? _user;
    private readonly NameRuleEngine? _host;
    private readonly NamePolicyScope _scope;

    internal SshNamePolicy(NameRuleEngine? user, NameRuleEngine? host, NamePolicyScope scope)
    {
        _user = user;
        _host = host;
        _scope = scope;
    }

    /// <summary>A policy without rules: allows every principal of both certificate types.</summary>
    public static SshNamePolicy None { get; } = new(null, null, NamePolicyScope.Authority);

    /// <summary>True when <c>ssh.user</c> has rules.</summary>
    public bool HasUserRules => _user is not null;

    /// <summary>True when <c>ssh.host</c> has rules.</summary>
    public bool HasHostRules => _host is not null;

    /// <summary>True when neither user nor host rules exist, so every SSH certificate is allowed.</summary>
    public bool IsEmpty => _user is null && _host is null;

    /// <summary>
    /// Checks the principals of a user certificate: emails against <c>email</c> rules, everything
    /// else against <c>principal</c> rules; IP and URI principals are refused.
    /// </summary>
    /// <exception cref="PkiException">Forbidden when a principal is refused, or when only host rules exist.</exception>
    public void CheckUser(IEnumerable<string> principals)
    {
        ArgumentNullException.ThrowIfNull(principals);
        if (IsEmpty)
        {
            return;
        }
        if (_user is null)
        {
            throw PkiException.Forbidden(_scope == NamePolicyScope.Authority
                ? "authority not allowed to sign SSH user certificates when SSH host certificate policy is active"
                : "SSH user certificate not authorized");
        }
        Check(_user, SshPrincipals.ForUser(principals));
    }

    /// <summary>
    /// Checks the principals of a host certificate as DNS names, IPs or emails; URI principals are
    /// refused, and <c>principal</c> rules never match a host principal.
    /// </summary>
    /// <exception cref="PkiException">Forbidden when a principal is refused, or when only user rules exist.</exception>
    public void CheckHost(IEnumerable<string> principals)
    {
        ArgumentNullException.ThrowIfNull(principals);
        if (IsEmpty)
        {
            return;
        }
        if (_host is null)
        {
            throw PkiException.Forbidden(_scope == NamePolicyScope.Authority
                ? "authority not allowed to sign SSH host certificates when SSH user certificate policy is active"
                : "SSH host certificate not authorized");
        }
        Check(_host, SshPrincipals.ForHost(principals));
    }

    private static void Check(NameRuleEngine engine, SshPrincipals principals)
    {
        if (engine.CheckNames(principals.DnsNames, principals.Ips, principals.Emails, [], principals.Principals) is { } violation)
        {
            throw violation.ToException();
        }
    }
}
