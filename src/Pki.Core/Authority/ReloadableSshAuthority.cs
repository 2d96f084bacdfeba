namespace Smallstep.Pki.Authority;

/// <summary>
/// An SSH authority whose configuration can be replaced (SIGHUP): each call runs on one generation
/// from start to end. Thread-safe.
/// </summary>
public sealed class ReloadableSshAuthority(SshAuthority initial) : ISshCertificateAuthority
{
    private volatile SshAuthority _current = initial;

    /// <summary>The generation serving new requests.</summary>
    public SshAuthority Current => _current;

    /// <summary>Replaces the authority for every request that starts from now on.</summary>
    public void Swap(SshAuthority next) => _current = next;

    /// <inheritdoc />
    public bool IsEnabled => _current.IsEnabled;

    /// <inheritdoc />
    public SshKeySet Roots => _current.Roots;

    /// <inheritdoc />
    public SshKeySet Federation => _current.Federation;

    /// <inheritdoc />
    public ValueTask<SshSignResult> SignAsync(SshSignRequest request, CancellationToken cancellationToken = default) => _current.SignAsync(request, cancellationToken);

    /// <inheritdoc />
    public ValueTask<SshSignResult> IssueAsync(SshSignRequest request, Provisioning.SshSignAuthorization plan, CancellationToken cancellationToken = default) =>
        _current.IssueAsync(request, plan, cancellationToken);
}
