using Smallstep.Pki.Issuance;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The plan a provisioner builds when it allows an SSH renew or rekey (authority/ssh.go
/// <c>renewSSH</c>, <c>rekeySSH</c>): the certificate presented, whose key id, principals, critical
/// options, extensions and reserved field are copied into a certificate of the same duration
/// restarted at now − backdate, with a new nonce and serial. It runs through the same runner and
/// stages as <see cref="SshSignAuthorization"/>: the copy takes the template's place, and the
/// claims' limits, mandatory fields, name policies, one signature and one transaction with the
/// recording steps follow. The default validity stage is opted out of: the copy always has one.
/// </summary>
public sealed class SshReissueAuthorization : IssuancePlan<SshSignOptions, SshCertificateDescription>
{
    /// <summary>Creates a plan for <paramref name="provisioner"/> re-issuing <paramref name="certificate"/>.</summary>
    /// <param name="provisioner">The provisioner that allowed the request.</param>
    /// <param name="certificate">The certificate presented, already proven (signed by a CA key, its key's holder signed the request).</param>
    public SshReissueAuthorization(IProvisioner provisioner, PresentedSshCertificate certificate)
        : base(provisioner)
    {
        Certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
        OptOut = StandardStages.DefaultValidity;
    }

    /// <summary>The certificate being renewed or rekeyed.</summary>
    public PresentedSshCertificate Certificate { get; }

    /// <summary>
    /// The copy at <paramref name="context"/>'s time: validity <c>[now − backdate, now + duration − backdate]</c>
    /// in whole seconds, with the old duration (renewSSH: <c>ValidBefore − ValidAfter</c>).
    /// </summary>
    /// <exception cref="Errors.PkiException">BadRequest: the certificate has no validity period (validAfter or validBefore 0, or no end).</exception>
    public SshCertificateDescription Describe(IssuanceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var old = Certificate;
        if (old.ValidAfter == 0 || old.ValidBefore == 0 || old.ValidBefore < old.ValidAfter)
        {
            throw Errors.PkiException.BadRequest("cannot renew a certificate without validity period");
        }
        var start = context.Now - context.Backdate;
        // A duration that would end past year 9999 (e.g. validBefore "forever") cannot be restarted.
        if (old.ValidBefore - old.ValidAfter >= (ulong)(DateTimeOffset.MaxValue - start).TotalSeconds)
        {
            throw Errors.PkiException.BadRequest("cannot renew a certificate without an end of validity");
        }
        var duration = TimeSpan.FromSeconds(old.ValidBefore - old.ValidAfter);
        return old.Description with
        {
            ValidAfter = DateTimeOffset.FromUnixTimeSeconds(start.ToUnixTimeSeconds()),
            ValidBefore = DateTimeOffset.FromUnixTimeSeconds((start + duration).ToUnixTimeSeconds()),
            Nonce = ReadOnlyMemory<byte>.Empty,
            Serial = 0,
        };
    }
}

/// <summary>
/// Optional capability of a provisioner: <c>POST /ssh/renew</c> (step-ca <c>AuthorizeSSHRenew</c>).
/// Provisioners without it refuse with 401, as step-ca's base does.
/// </summary>
public interface ISshRenewProvisioner
{
    /// <summary>Authorizes renewing the certificate the request proves possession of; throws when not allowed.</summary>
    ValueTask<SshReissueAuthorization> AuthorizeSshRenewAsync(AuthorizationContext context, CancellationToken cancellationToken = default);
}

/// <summary>Optional capability of a provisioner: <c>POST /ssh/rekey</c> (step-ca <c>AuthorizeSSHRekey</c>).</summary>
public interface ISshRekeyProvisioner
{
    /// <summary>Authorizes re-issuing the proven certificate for a new key; throws when not allowed.</summary>
    ValueTask<SshReissueAuthorization> AuthorizeSshRekeyAsync(AuthorizationContext context, CancellationToken cancellationToken = default);
}

/// <summary>Optional capability of a provisioner: <c>POST /ssh/revoke</c> (step-ca <c>AuthorizeSSHRevoke</c>).</summary>
public interface ISshRevokeProvisioner
{
    /// <summary>
    /// Authorizes an SSH revocation; returns the token subject and replay key. The authority requires
    /// the subject to equal the serial being revoked, whatever the type (CVE-2025-66406).
    /// </summary>
    ValueTask<RevokeAuthorization> AuthorizeSshRevokeAsync(AuthorizationContext context, CancellationToken cancellationToken = default);
}
