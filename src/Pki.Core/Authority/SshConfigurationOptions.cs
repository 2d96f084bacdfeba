using Smallstep.Pki.Configuration;
using Smallstep.Pki.Ssh.Config;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Authority;

/// <summary>What <see cref="ISshConfigurationAuthority"/> serves: ca.json <c>templates</c>, <c>ssh.bastion</c>, <c>authority.disableGetSSHHosts</c> and the host store.</summary>
public sealed class SshConfigurationOptions
{
    /// <summary>Nothing configured: no templates, no bastion, no host store.</summary>
    public static SshConfigurationOptions None { get; } = new();

    /// <summary>Whether ca.json has an <c>ssh</c> block (<c>/ssh/bastion</c> answers 404 without one).</summary>
    public bool HasSshBlock { get; init; }

    /// <summary>The configuration templates; null when SSH signing is off (<c>/ssh/config</c> answers 404).</summary>
    public SshConfigTemplates? Templates { get; init; }

    /// <summary><c>ssh.bastion</c>, or null.</summary>
    public SshBastionConfig? Bastion { get; init; }

    /// <summary><c>authority.disableGetSSHHosts</c>: <c>GET /ssh/hosts</c> answers 404.</summary>
    public bool DisableGetHosts { get; init; }

    /// <summary>Where host principals are recorded; null answers 501 (step-ca without a database).</summary>
    public ISshHostStore? Hosts { get; init; }
}
