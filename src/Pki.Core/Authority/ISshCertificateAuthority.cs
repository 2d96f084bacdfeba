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

    /// <summary>
    /// Renews the certificate the request's token proves possession of (step-ca <c>RenewSSH</c>,
    /// <c>POST /ssh/renew</c>): the provisioner found by the token authorizes
    /// (<see cref="Provisioning.ISshRenewProvisioner"/>), a revoked certificate is refused, and the
    /// copy runs through the SSH issuance stages with the same key.
    /// </summary>
    /// <exception cref="Errors.PkiException">
    /// NotImplemented: no SSH CA key (for the type); Unauthorized: the token, or a revoked or expired
    /// certificate; BadRequest: not a host certificate, or no validity period; Forbidden: limits or policy.
    /// </exception>
    ValueTask<SshCertificate> RenewAsync(SshReissueRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-issues the proven certificate for <see cref="SshReissueRequest.PublicKey"/> (step-ca
    /// <c>RekeySSH</c>, <c>POST /ssh/rekey</c>); otherwise as <see cref="RenewAsync"/>.
    /// </summary>
    /// <exception cref="Errors.PkiException">As <see cref="RenewAsync"/>; BadRequest without a public key.</exception>
    ValueTask<SshCertificate> RekeyAsync(SshReissueRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes an SSH certificate, passively (step-ca <c>Revoke</c> for <c>POST /ssh/revoke</c>): the
    /// provisioner found by the token authorizes (<see cref="Provisioning.ISshRevokeProvisioner"/>), the
    /// token's subject must equal the serial whatever the provisioner type, and the revocation and the
    /// burned token are recorded in one transaction.
    /// </summary>
    /// <exception cref="Errors.PkiException">
    /// BadRequest: no serial or token, a serial that is not a decimal number, a reason code out of
    /// 0-10, or already revoked; NotImplemented: active revocation, or no revocation store;
    /// Unauthorized: the token; Forbidden: the token is for another serial.
    /// </exception>
    ValueTask RevokeAsync(SshRevokeRequest request, CancellationToken cancellationToken = default);
}

/// <summary>An SSH renew or rekey request (<c>POST /ssh/renew</c>, <c>POST /ssh/rekey</c>).</summary>
/// <param name="Token">The token proving possession of the certificate (an SSHPOP token).</param>
/// <param name="PublicKey">The new key (rekey), or null to keep the certificate's (renew).</param>
public sealed record SshReissueRequest(string Token, SshPublicKey? PublicKey = null)
{
    /// <summary>The client's address, or null.</summary>
    public System.Net.IPAddress? RemoteAddress { get; init; }
}

/// <summary>A <c>POST /ssh/revoke</c> request.</summary>
/// <param name="Serial">The serial, in decimal (<c>strconv.FormatUint</c>, which step-ca looks revocations up by).</param>
/// <param name="Token">The one-time token; its subject must equal <paramref name="Serial"/>.</param>
/// <param name="ReasonCode">RFC 5280 §5.3.1 reason code, 0-10.</param>
/// <param name="Reason">Free-text reason.</param>
/// <param name="Passive">Must be true: active revocation is not supported, as in step-ca.</param>
public sealed record SshRevokeRequest(string Serial, string Token, int ReasonCode, string? Reason, bool Passive);

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
