namespace Smallstep.Pki.Storage;

/// <summary>
/// The SSH hosts the CA has certified (tables <c>ssh_hosts</c> and <c>ssh_host_principals</c>, both
/// written with every host certificate): an optional capability of an
/// <see cref="ISshCertificateStore"/>, as step-ca's <c>IsSSHHost</c> and <c>GetSSHHostPrincipals</c>
/// (db/db.go) are of its database. Thread-safe.
/// </summary>
public interface ISshHostStore
{
    /// <summary>Whether a host certificate was ever issued for this principal (case-insensitive, expired ones included).</summary>
    ValueTask<bool> IsHostAsync(string principal, CancellationToken cancellationToken = default);

    /// <summary>The (lower-cased) principals of host certificates still valid at <paramref name="now"/>.</summary>
    ValueTask<IReadOnlyList<string>> ListHostPrincipalsAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
