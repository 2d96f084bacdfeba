using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Policy;

/// <summary>
/// Several policies that must all allow a name — typically the authority's and the provisioner's
/// (architecture stage 6: "authority policy and provisioner policy must both allow"). Checked in
/// order, so the first policy's refusal is the one reported. Immutable and thread-safe.
/// </summary>
public sealed class NamePolicySet : INamePolicyEngine
{
    private readonly INamePolicyEngine[] _policies;

    private NamePolicySet(INamePolicyEngine[] policies) => _policies = policies;

    /// <summary>A set without policies: allows every name.</summary>
    public static NamePolicySet Empty { get; } = new([]);

    /// <summary>The policies, in the order they are checked.</summary>
    public IReadOnlyList<INamePolicyEngine> Policies => _policies;

    /// <summary>A set of <paramref name="policies"/>, checked in order; empty <see cref="NamePolicy"/> instances are left out.</summary>
    public static NamePolicySet Of(params IEnumerable<INamePolicyEngine?> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return new([.. policies.Where(p => p is not null and not NamePolicy { IsEmpty: true })!]);
    }

    /// <summary>A new set with <paramref name="policy"/> checked after the current ones.</summary>
    public NamePolicySet With(INamePolicyEngine? policy) => Of([.. _policies, policy]);

    /// <inheritdoc />
    public void CheckX509(X509CertificateDescription certificate)
    {
        foreach (var policy in _policies)
        {
            policy.CheckX509(certificate);
        }
    }

    /// <inheritdoc />
    public void CheckSans(IEnumerable<string> sans)
    {
        var list = sans as IReadOnlyCollection<string> ?? [.. sans];
        foreach (var policy in _policies)
        {
            policy.CheckSans(list);
        }
    }

    /// <inheritdoc />
    public void CheckSshUser(IEnumerable<string> principals)
    {
        var list = principals as IReadOnlyCollection<string> ?? [.. principals];
        foreach (var policy in _policies)
        {
            policy.CheckSshUser(list);
        }
    }

    /// <inheritdoc />
    public void CheckSshHost(IEnumerable<string> principals)
    {
        var list = principals as IReadOnlyCollection<string> ?? [.. principals];
        foreach (var policy in _policies)
        {
            policy.CheckSshHost(list);
        }
    }
}
