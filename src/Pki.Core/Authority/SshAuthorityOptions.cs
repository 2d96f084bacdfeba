using Smallstep.Pki.Keys;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Authority;

/// <summary>What the SSH authority needs beyond its services; built from ca.json <c>ssh</c> by the runtime or an embedding app.</summary>
public sealed class SshAuthorityOptions
{
    /// <summary>The CA's X.509 roots: a token's <c>sha</c> must name one of them.</summary>
    public IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> X509Roots { get; init; } = [];

    /// <summary>step-ca's default <c>ssh.addUserPrincipal</c> (authority/ssh.go <c>SSHAddUserPrincipal</c>).</summary>
    public const string DefaultAddUserPrincipal = "provisioner";

    /// <summary>step-ca's default <c>ssh.addUserCommand</c>; <c>&lt;principal&gt;</c> becomes the user's principal.</summary>
    public const string DefaultAddUserCommand = "sudo useradd -m <principal>; nc -q0 localhost 22";

    /// <summary><c>ssh.userKey</c>: signs user certificates; null disables them (501).</summary>
    public ICertificateSigner? UserSigner { get; init; }

    /// <summary><c>ssh.hostKey</c>: signs host certificates; null disables them (501).</summary>
    public ICertificateSigner? HostSigner { get; init; }

    /// <summary>The keys <c>GET /ssh/roots</c> serves: each signer's key first, then the non-federated <c>ssh.keys</c>.</summary>
    public SshKeySet Roots { get; init; } = SshKeySet.Empty;

    /// <summary>The keys <c>GET /ssh/federation</c> serves: each signer's key first, then the federated <c>ssh.keys</c>.</summary>
    public SshKeySet Federation { get; init; } = SshKeySet.Empty;

    /// <summary><c>ssh.addUserPrincipal</c>: the principal of add-user certificates.</summary>
    public string AddUserPrincipal { get; init; } = DefaultAddUserPrincipal;

    /// <summary><c>ssh.addUserCommand</c>: the <c>force-command</c> of add-user certificates.</summary>
    public string AddUserCommand { get; init; } = DefaultAddUserCommand;

    /// <summary>ca.json <c>templates</c>, <c>ssh.bastion</c>, <c>authority.disableGetSSHHosts</c> and the host store (<see cref="ISshConfigurationAuthority"/>).</summary>
    public SshConfigurationOptions Configuration { get; init; } = SshConfigurationOptions.None;

    /// <summary>Token audiences from <c>dnsNames</c>.</summary>
    public required Audiences Audiences { get; init; }

    /// <summary><c>authority.backdate</c>: how far an unset validAfter is moved into the past (default 1 minute).</summary>
    public TimeSpan Backdate { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>authority.policy</c> (its <c>ssh</c> part is checked here); null allows every principal.</summary>
    public Policy.INamePolicyEngine? NamePolicy { get; init; }

    /// <summary><c>authority.disableIssuedAtCheck</c>: accept tokens issued before the authority started.</summary>
    public bool DisableIssuedAtCheck { get; init; }

    /// <summary>
    /// The X.509 revocations, handed to provisioners whose credential is an X.509 certificate (an
    /// X5C token's leaf must not be revoked); null when none are kept.
    /// </summary>
    public Storage.IRevocationStore? X509Revocations { get; init; }
}
