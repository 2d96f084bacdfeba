using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Authority;

/// <summary>
/// An SSH authority whose configuration can be replaced (SIGHUP): each call runs on one generation
/// from start to end. Thread-safe.
/// </summary>
public sealed partial class ReloadableSshAuthority(SshAuthority initial) : ISshCertificateAuthority
{
    private readonly GenerationSlot<SshAuthority> _slot = new(initial);

    /// <summary>The generation serving new requests.</summary>
    public SshAuthority Current => _slot.Current;

    /// <summary>Replaces the authority for every request that starts from now on.</summary>
    public void Swap(SshAuthority next) => _slot.Swap(next, GenerationLease.Permanent);

    internal void Swap(SshAuthority next, GenerationLease lease) => _slot.Swap(next, lease);

    /// <inheritdoc />
    public bool IsEnabled => _slot.Current.IsEnabled;

    /// <inheritdoc />
    public SshKeySet Roots => _slot.Current.Roots;

    /// <inheritdoc />
    public SshKeySet Federation => _slot.Current.Federation;

    /// <inheritdoc />
    public async ValueTask<SshSignResult> SignAsync(SshSignRequest request, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.SignAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SshSignResult> IssueAsync(SshSignRequest request, Provisioning.SshSignAuthorization plan, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.IssueAsync(request, plan, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SshCertificate> RenewAsync(SshReissueRequest request, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.RenewAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SshCertificate> RekeyAsync(SshReissueRequest request, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.RekeyAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RevokeAsync(SshRevokeRequest request, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        await use.Value.RevokeAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
