using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Provisioners.Http.Ssh;

/// <summary>
/// <c>POST /ssh/renew</c> (api/sshRenew.go <c>SSHRenew</c>): <c>{"ott"}</c> in, and
/// <c>POST /ssh/rekey</c> (api/sshRekey.go <c>SSHRekey</c>): <c>{"ott","publicKey"}</c> in; both
/// answer 201 <c>{"crt":base64}</c>. The token is an SSHPOP token proving possession of the host
/// certificate being renewed. step-ca also renews a TLS client certificate presented with the
/// request (<c>identityCrt</c>); this build does not, and omits the member.
/// </summary>
internal static class SshRenewEndpoints
{
    public static async Task Renew(StepApiContext call)
    {
        var body = await RequestBody.ReadAsync(call.Http, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        var request = GoJsonRequest.Decode(body, new ReissueBody(), ReissueBody.ReadMember);
        // SSHRenewRequest.Validate.
        if (request.Ott.Length == 0)
        {
            throw PkiException.BadRequest("missing or empty ott");
        }
        var authority = RequireAuthority(call);
        var certificate = await authority.RenewAsync(new SshReissueRequest(request.Ott) { RemoteAddress = call.Http.Connection.RemoteIpAddress }, call.Aborted)
            .ConfigureAwait(false);
        await WriteAsync(call, certificate).ConfigureAwait(false);
    }

    public static async Task Rekey(StepApiContext call)
    {
        var body = await RequestBody.ReadAsync(call.Http, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        var request = GoJsonRequest.Decode(body, new ReissueBody(), ReissueBody.ReadMember);
        // SSHRekeyRequest.Validate, in step-ca's order.
        if (request.Ott.Length == 0)
        {
            throw PkiException.BadRequest("missing or empty ott");
        }
        if (request.PublicKey is not { Length: > 0 } publicKey)
        {
            throw PkiException.BadRequest("missing or empty public key");
        }
        SshPublicKey key;
        try
        {
            key = SshPublicKey.Parse(publicKey);
        }
        catch (PkiException e)
        {
            throw PkiException.BadRequest("error parsing publicKey", e);
        }
        var authority = RequireAuthority(call);
        var certificate = await authority.RekeyAsync(new SshReissueRequest(request.Ott, key) { RemoteAddress = call.Http.Connection.RemoteIpAddress }, call.Aborted)
            .ConfigureAwait(false);
        await WriteAsync(call, certificate).ConfigureAwait(false);
    }

    private static ISshCertificateAuthority RequireAuthority(StepApiContext call) =>
        call.SshAuthority ?? throw PkiException.NotImplemented("authority.Authorize; ssh certificate flows are not enabled");

    private static Task WriteAsync(StepApiContext call, SshCertificate certificate) => call.WriteJsonAsync(201, writer =>
    {
        writer.WriteStartObject();
        writer.WriteBase64String("crt", certificate.Blob.Span);
        writer.WriteEndObject();
    });

    /// <summary>The body: <c>{"ott","publicKey"}</c> (renew reads only <c>ott</c>; Go ignores the rest).</summary>
    private sealed class ReissueBody
    {
        public string Ott { get; private set; } = string.Empty;

        public byte[]? PublicKey { get; private set; }

        public static bool ReadMember(ReissueBody body, string name, ref Utf8JsonReader reader)
        {
            if (GoJsonRequest.Is(name, "ott"))
            {
                body.Ott = GoJsonRequest.ReadString(ref reader, body.Ott, "ott");
            }
            else if (GoJsonRequest.Is(name, "publicKey"))
            {
                // Go's []byte: a standard base64 string; null leaves the field unchanged.
                body.PublicKey = reader.TokenType == JsonTokenType.Null
                    ? body.PublicKey
                    : Convert.FromBase64String(GoJsonRequest.ReadString(ref reader, string.Empty, "publicKey"));
            }
            else
            {
                return false;
            }
            return true;
        }
    }
}
