using Smallstep.Pki.Configuration;
using Smallstep.Pki.Ssh.Config;

namespace Smallstep.Pki.Authority;

/// <summary>Client and host configuration, each call on one generation.</summary>
public sealed partial class ReloadableSshAuthority : ISshConfigurationAuthority
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SshConfigOutput>> GetConfigAsync(string type, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.GetConfigAsync(type, data, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> CheckHostAsync(string principal, string? token, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.CheckHostAsync(principal, token, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> GetHostsAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.GetHostsAsync(clientCertificate, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public SshBastionConfig? GetBastion(string user, string hostname)
    {
        using var use = _slot.Enter();
        return use.Value.GetBastion(user, hostname);
    }
}
