using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Ssh.Config;

namespace Smallstep.Pki.Authority;

/// <summary>Client and host configuration: templates, known hosts, bastion (authority/ssh.go).</summary>
public sealed partial class SshAuthority : ISshConfigurationAuthority
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SshConfigOutput>> GetConfigAsync(string type, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(data);
        // step-ca sets its templates only when a CA key is configured.
        if (!IsEnabled || _options.Configuration.Templates is not { } templates)
        {
            throw PkiException.NotFound("getSSHConfig: ssh is not configured");
        }
        return ValueTask.FromResult(templates.Render(type, data, _time));
    }

    /// <inheritdoc />
    public async ValueTask<bool> CheckHostAsync(string principal, string? token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var hosts = _options.Configuration.Hosts ?? throw PkiException.NotImplemented("checkSSHHost: isSSHHost is not implemented");
        return await hosts.IsHostAsync(principal, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> GetHostsAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate, CancellationToken cancellationToken = default)
    {
        if (_options.Configuration.DisableGetHosts)
        {
            throw PkiException.NotFound("ssh hosts list api disabled");
        }
        // step-ca answers 500 when its database cannot list hosts; not having the capability is a 501 here.
        var hosts = _options.Configuration.Hosts ?? throw PkiException.NotImplemented("getSSHHosts: the database keeps no ssh hosts");
        return await hosts.ListHostPrincipalsAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public SshBastionConfig? GetBastion(string user, string hostname)
    {
        ArgumentNullException.ThrowIfNull(hostname);
        if (!_options.Configuration.HasSshBlock)
        {
            throw PkiException.NotFound("authority.GetSSHBastion; ssh is not configured");
        }
        // No bastion for the bastion itself (compared by name only, as step-ca does).
        return _options.Configuration.Bastion is { Hostname.Length: > 0 } bastion && !string.Equals(hostname, bastion.Hostname, StringComparison.OrdinalIgnoreCase)
            ? bastion
            : null;
    }
}
