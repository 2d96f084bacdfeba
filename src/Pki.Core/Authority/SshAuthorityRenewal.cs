using System.Globalization;
using Microsoft.Extensions.Logging;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance.Recording;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Authority;

/// <summary>
/// SSH renew, rekey and revoke (authority/authorize.go <c>Authorize</c> for <c>SSHRenewMethod</c>,
/// <c>SSHRekeyMethod</c>, <c>SSHRevokeMethod</c>; authority/ssh.go <c>renewSSH</c>, <c>rekeySSH</c>;
/// authority/tls.go <c>Revoke</c>): the token routes to its provisioner, which proves the request
/// with the CA keys it is handed; renewals run through the SSH issuance runner like signatures.
/// </summary>
public sealed partial class SshAuthority
{
    // RFC 5280 §5.3.1 CRLReason bounds, as step-ca's ocsp.Unspecified..ocsp.AACompromise.
    private const int MaxReasonCode = 10;

    /// <summary>
    /// Revoked SSH certificates: consulted on renew and rekey, written by revoke. Null (no database)
    /// makes revoke a 501, as step-ca's <c>db.ErrNotImplemented</c>; nothing can then be revoked.
    /// </summary>
    public ISshRevocationStore? Revocations { get; init; }

    /// <inheritdoc />
    public ValueTask<SshCertificate> RenewAsync(SshReissueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ReissueAsync(request, _options.Audiences.SshRenew, "renew",
            (p, context) => p is ISshRenewProvisioner renew ? renew.AuthorizeSshRenewAsync(context, cancellationToken) : null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<SshCertificate> RekeyAsync(SshReissueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PublicKey is null)
        {
            throw PkiException.BadRequest("missing or empty public key");
        }
        return ReissueAsync(request, _options.Audiences.SshRekey, "rekey",
            (p, context) => p is ISshRekeyProvisioner rekey ? rekey.AuthorizeSshRekeyAsync(context, cancellationToken) : null, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask RevokeAsync(SshRevokeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // SSHRevokeRequest.Validate, in step-ca's order.
        if (string.IsNullOrEmpty(request.Serial))
        {
            throw PkiException.BadRequest("missing serial");
        }
        if (request.ReasonCode is < 0 or > MaxReasonCode)
        {
            throw PkiException.BadRequest("reasonCode out of bounds");
        }
        if (!request.Passive)
        {
            throw PkiException.NotImplemented("non-passive revocation not implemented");
        }
        if (string.IsNullOrEmpty(request.Token))
        {
            throw PkiException.BadRequest("missing ott");
        }
        // Stricter than step-ca, which stores the serial as given and looks revocations up by
        // strconv.FormatUint: a serial in another form could never stop a renewal, so it is refused.
        if (!ulong.TryParse(request.Serial, NumberStyles.None, CultureInfo.InvariantCulture, out var serial)
            || serial.ToString(CultureInfo.InvariantCulture) != request.Serial)
        {
            throw PkiException.BadRequest($"serial number '{request.Serial}' is not a decimal SSH certificate serial");
        }
        var revocations = Revocations ?? throw PkiException.NotImplemented("authority.Revoke; no persistence layer configured");
        var (provisioner, context) = Route(request.Token, _options.Audiences.SshRevoke, null);
        if (provisioner is not ISshRevokeProvisioner revoker)
        {
            throw PkiException.Unauthorized($"provisioner {provisioner.Name} of type {provisioner.Type} does not support ssh revoke");
        }
        var authorization = await ProvisionerCalls.GuardAsync(provisioner, () => revoker.AuthorizeSshRevokeAsync(context, cancellationToken),
            e => LogProvisionerFault(_logger, provisioner.Name, e)).ConfigureAwait(false);
        // authority/tls.go Revoke (CVE-2025-66406): whatever the provisioner type, a token revokes
        // only the certificate its subject names.
        if (authorization.Subject != request.Serial)
        {
            throw PkiException.Forbidden($"request serial number \"{request.Serial}\" and token subject \"{authorization.Subject}\" do not match");
        }
        IReadOnlyList<IRecordingStep> steps = authorization.ReplayKey is { } replayKey ? [new OneTimeTokenUse(replayKey, request.Token)] : [];
        var record = new RevocationRecord(request.Serial, provisioner.Id, request.ReasonCode, request.Reason ?? "", _time.GetUtcNow(),
            DateTimeOffset.MinValue, authorization.ReplayKey ?? "", false, false);
        await revocations.RevokeAsync(record, steps, cancellationToken).ConfigureAwait(false);
        LogRevoked(_logger, request.Serial, request.ReasonCode, provisioner.Id);
    }

    private async ValueTask<SshCertificate> ReissueAsync(SshReissueRequest request, AudienceSet audiences, string operation,
        Func<IProvisioner, AuthorizationContext, ValueTask<SshReissueAuthorization>?> authorize, CancellationToken cancellationToken)
    {
        RequireEnabled();
        if (string.IsNullOrEmpty(request.Token))
        {
            throw PkiException.BadRequest("missing or empty ott");
        }
        var (provisioner, context) = Route(request.Token, audiences, request.RemoteAddress);
        var plan = await ProvisionerCalls.GuardAsync(provisioner,
            () => authorize(provisioner, context) ?? throw PkiException.Unauthorized($"provisioner {provisioner.Name} of type {provisioner.Type} does not support ssh {operation}"),
            e => LogProvisionerFault(_logger, provisioner.Name, e)).ConfigureAwait(false);
        // authority/authorize.go authorizeSSHCertificate: a revoked certificate is not renewed.
        var old = plan.Certificate;
        if (Revocations is { } revocations && await revocations.IsRevokedAsync(old.SerialDecimal, cancellationToken).ConfigureAwait(false))
        {
            throw PkiException.Unauthorized($"authority.authorizeSSHCertificate: certificate with serial number {old.SerialDecimal} has been revoked");
        }
        var input = new SshSignRequest(request.PublicKey ?? old.SubjectKey, request.Token, new SshSignOptions()) { RemoteAddress = request.RemoteAddress };
        var result = await _runner.RunAsync(plan, input, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        LogReissued(_logger, operation, old.Serial, result.Certificate.Description.Serial, provisioner.Name);
        return result.Certificate;
    }

    // The token routes (with the issued-at and root-binding checks of every operation), and the
    // provisioner is handed the CA keys a presented certificate must be signed by.
    private (IProvisioner Provisioner, AuthorizationContext Context) Route(string token, AudienceSet audiences, System.Net.IPAddress? remoteAddress)
    {
        var (provisioner, context) = ProvisionerCalls.Route(_catalog, _options.Audiences, audiences, null, token, null, remoteAddress, _startTime,
            _options.DisableIssuedAtCheck, _options.X509Roots);
        return (provisioner, context with { SshCaKeys = _options.Roots });
    }

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "ssh {Operation}: certificate serial={OldSerial} re-issued as serial={Serial} provisioner={Provisioner}")]
    private static partial void LogReissued(ILogger logger, string operation, ulong oldSerial, ulong serial, string provisioner);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "revoked ssh certificate serial={Serial} reasonCode={ReasonCode} provisioner={ProvisionerId}")]
    private static partial void LogRevoked(ILogger logger, string serial, int reasonCode, string provisionerId);
}
