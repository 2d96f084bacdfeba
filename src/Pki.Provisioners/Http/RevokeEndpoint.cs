using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary><c>POST /revoke</c> (api/revoke.go): passive revocation with a token or over mTLS.</summary>
internal static class RevokeEndpoint
{
    // RFC 5280 §5.3.1 CRLReason: unspecified (0) .. aACompromise (10), as step-ca's ocsp bounds.
    private const int MaxReasonCode = 10;

    public static async Task Revoke(StepApiContext call)
    {
        var body = await RequestBody.ReadAsync(call.Http, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        var request = GoJsonRequest.Decode(body, new RevokeBody(), RevokeBody.ReadMember);
        // RevokeRequest.Validate, in step-ca's order.
        if (request.Serial.Length == 0)
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
        // With a token the client certificate plays no part; without one the caller must revoke its
        // own certificate over mTLS. The authority compares serials (it normalises the serial text).
        var token = request.Ott.Length > 0 ? request.Ott : null;
        var certificate = token is null
            ? ClientCertificateVerifier.GetVerified(call.Http, call.Authority.Trust, call.Time)
                ?? throw PkiException.BadRequest("missing ott or client certificate")
            : null;
        await call.Authority.RevokeAsync(
            new RevokeRequest(request.Serial, token, (int)request.ReasonCode, request.Reason.Length > 0 ? request.Reason : null, request.Passive, certificate),
            call.Aborted).ConfigureAwait(false);
        await call.WriteJsonAsync(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", "ok");
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>The body: <c>{"serial","ott","reasonCode","reason","passive"}</c>.</summary>
    private sealed class RevokeBody
    {
        public string Serial { get; private set; } = string.Empty;

        public string Ott { get; private set; } = string.Empty;

        public long ReasonCode { get; private set; }

        public string Reason { get; private set; } = string.Empty;

        public bool Passive { get; private set; }

        public static bool ReadMember(RevokeBody body, string name, ref Utf8JsonReader reader)
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
