using System.Text.Json;
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
        var body = await RequestBody.ReadAsync(call.Http, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        var request = GoJsonRequest.Decode(body, new SshRevokeBody(), SshRevokeBody.ReadMember);
        // Revocation needs no SSH CA key (step-ca's Authorize does not check one for SSHRevokeMethod),
        // but it does need the SSH authority that holds the revocation store.
        var authority = call.SshAuthority ?? throw Errors.PkiException.NotImplemented("authority.Revoke; no persistence layer configured");
        var reasonCode = request.ReasonCode is < int.MinValue or > int.MaxValue ? -1 : (int)request.ReasonCode;
        await authority.RevokeAsync(new SshRevokeRequest(request.Serial, request.Ott, reasonCode, request.Reason.Length > 0 ? request.Reason : null, request.Passive),
            call.Aborted).ConfigureAwait(false);
        await call.WriteJsonAsync(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", "ok");
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>The body: <c>{"serial","ott","reasonCode","reason","passive"}</c>.</summary>
    private sealed class SshRevokeBody
    {
        public string Serial { get; private set; } = string.Empty;

        public string Ott { get; private set; } = string.Empty;

        public long ReasonCode { get; private set; }

        public string Reason { get; private set; } = string.Empty;

        public bool Passive { get; private set; }

        public static bool ReadMember(SshRevokeBody body, string name, ref Utf8JsonReader reader)
        {
            if (GoJsonRequest.Is(name, "serial"))
            {
                body.Serial = GoJsonRequest.ReadString(ref reader, body.Serial, "serial");
            }
            else if (GoJsonRequest.Is(name, "ott"))
            {
                body.Ott = GoJsonRequest.ReadString(ref reader, body.Ott, "ott");
            }
            else if (GoJsonRequest.Is(name, "reasonCode"))
            {
                body.ReasonCode = GoJsonRequest.ReadInteger(ref reader, body.ReasonCode, "reasonCode");
            }
            else if (GoJsonRequest.Is(name, "reason"))
            {
                body.Reason = GoJsonRequest.ReadString(ref reader, body.Reason, "reason");
            }
            else if (GoJsonRequest.Is(name, "passive"))
            {
                body.Passive = GoJsonRequest.ReadBoolean(ref reader, body.Passive, "passive");
            }
            else
            {
                return false;
            }
            return true;
        }
    }
}
