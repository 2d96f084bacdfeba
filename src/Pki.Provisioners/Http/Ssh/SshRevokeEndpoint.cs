using Smallstep.Pki.Authority;

namespace Smallstep.Pki.Provisioners.Http.Ssh;

/// <summary>
/// <c>POST /ssh/revoke</c> (api/sshRevoke.go <c>SSHRevoke</c>): <c>{"serial","ott","reasonCode","reason","passive"}</c>
/// in, 200 <c>{"status":"ok"}</c> out. The authority validates the body in step-ca's order
/// (serial, reason code, passive, token), authorizes the token and records the revocation.
/// </summary>
internal static class SshRevokeEndpoint
{
    public static async Task Revoke(StepApiContext call)
    {
        var request = await RevokeBody.ReadAsync(call).ConfigureAwait(false);
        // Revocation needs no SSH CA key (step-ca's Authorize does not check one for SSHRevokeMethod),
        // but it does need the SSH authority that holds the revocation store.
        var authority = call.SshAuthority ?? throw Errors.PkiException.NotImplemented("authority.Revoke; no persistence layer configured");
        var reasonCode = request.ReasonCode is < int.MinValue or > int.MaxValue ? -1 : (int)request.ReasonCode;
        await authority.RevokeAsync(new SshRevokeRequest(request.Serial, request.Ott, reasonCode, request.Reason.Length > 0 ? request.Reason : null, request.Passive),
            call.Aborted).ConfigureAwait(false);
        await RevokeBody.WriteOkAsync(call).ConfigureAwait(false);
    }
}
