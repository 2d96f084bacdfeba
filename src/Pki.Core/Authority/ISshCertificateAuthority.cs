using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Authority;

/// <summary>
/// The SSH certificate authority as in-process callers see it (step-ca <c>api.SSHAuthority</c>);
/// <c>POST /ssh/sign</c>, <c>GET /ssh/roots</c> and <c>GET /ssh/federation</c> are one consumer.
/// Thread-safe; failures are <see cref="Errors.PkiException"/>s.
/// </summary>
public interface ISshCertificateAuthority
{
    /// <summary>True when a user or a host CA key is configured (ca.json <c>ssh</c>).</summary>
    bool IsEnabled { get; }

    /// <summary>The CA keys clients and servers trust: the signing keys and the non-federated <c>ssh.keys</c>.</summary>
    SshKeySet Roots { get; }

    /// <summary>The federated keys: the signing keys and the federated <c>ssh.keys</c>.</summary>
    SshKeySet Federation { get; }

    /// <summary>
    /// Signs an SSH certificate (step-ca <c>SignSSH</c>, and <c>SignSSHAddUser</c> when
    /// <see cref="SshSignRequest.AddUserPublicKey"/> is given): the provisioner is found by name, else
    /// by the one-time token, else by the TLS client certificate, and authorizes.
    /// </summary>
    /// <exception cref="Errors.PkiException">
    /// NotImplemented: no SSH CA key (for the type); Unauthorized: the token; BadRequest/Forbidden: the
    /// options, template, validity or name policy.
    /// </exception>
    ValueTask<SshSignResult> SignAsync(SshSignRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs the SSH issuance stages for a request someone already authorized: the plan's stages, the
    /// limits and policies no plan can skip, one signature, and one transaction recording the
    /// certificates with every recording step of <paramref name="plan"/>, or nothing.
    /// </summary>
    ValueTask<SshSignResult> IssueAsync(SshSignRequest request, Provisioning.SshSignAuthorization plan, CancellationToken cancellationToken = default);
}

/// <summary>An SSH certificate request (<c>POST /ssh/sign</c>, or an in-process caller).</summary>
/// <param name="PublicKey">The key to certify (<c>publicKey</c>).</param>
/// <param name="Token">The one-time token (<c>ott</c>), or null when the request is authorized otherwise.</param>
/// <param name="Options">What the body asks for: type, key id, principals, validity, template data.</param>
/// <param name="AddUserPublicKey">The key for an add-user certificate (<c>addUserPublicKey</c>), or null.</param>
public sealed record SshSignRequest(SshPublicKey PublicKey, string? Token, SshSignOptions Options, SshPublicKey? AddUserPublicKey = null)
{
    /// <summary>The provisioner to authorize with, by name (in-process callers); null routes by token or client certificate.</summary>
    public string? Provisioner { get; init; }

    /// <summary>The TLS client certificate the request came with, or null.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The client's address, or null.</summary>
    public System.Net.IPAddress? RemoteAddress { get; init; }
}

/// <summary>The certificates signed for a <c>POST /ssh/sign</c>.</summary>
/// <param name="Certificate">The certificate (<c>crt</c>).</param>
/// <param name="AddUserCertificate">The add-user certificate (<c>addUserCrt</c>), or null.</param>
public sealed record SshSignResult(SshCertificate Certificate, SshCertificate? AddUserCertificate);

/// <summary>SSH CA public keys by certificate type (step-ca <c>config.SSHKeys</c>).</summary>
/// <param name="UserKeys">Keys for user certificates.</param>
/// <param name="HostKeys">Keys for host certificates.</param>
public sealed record SshKeySet(IReadOnlyList<SshPublicKey> UserKeys, IReadOnlyList<SshPublicKey> HostKeys)
{
    /// <summary>No keys.</summary>
    public static SshKeySet Empty { get; } = new([], []);

    /// <summary>True when there is no key of either type.</summary>
    public bool IsEmpty => UserKeys.Count == 0 && HostKeys.Count == 0;
}
