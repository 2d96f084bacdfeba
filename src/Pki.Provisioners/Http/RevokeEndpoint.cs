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
        var request = await RevokeBody.ReadAsync(call).ConfigureAwait(false);
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
        await RevokeBody.WriteOkAsync(call).ConfigureAwait(false);
    }
}
