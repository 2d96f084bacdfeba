using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary><c>POST /sign</c> (api/sign.go): a CSR and a one-time token in, 201 with the chain out.</summary>
internal static class SignEndpoint
{
    public static async Task Sign(StepApiContext call)
    {
        var body = await RequestBody.ReadAsync(call.Http, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        var request = GoJsonRequest.Decode(body, new SignBody(), SignBody.ReadMember);
        // SignRequest.Validate, in step-ca's order.
        var csr = CsrPem.Require(request.CsrDer);
        if (request.Ott.Length == 0)
        {
            throw PkiException.BadRequest("missing ott");
        }
        var issued = await call.Authority.SignAsync(
            new SignRequest(csr, request.Ott, request.NotBefore, request.NotAfter, request.TemplateData)
            {
                ClientCertificate = call.Http.Connection.ClientCertificate,
                RemoteAddress = call.Http.Connection.RemoteIpAddress,
            },
            call.Aborted).ConfigureAwait(false);
        await IssuedCertificateResponse.WriteAsync(call, issued).ConfigureAwait(false);
    }

    /// <summary>The body: <c>{"csr","ott","notBefore","notAfter","templateData"}</c>.</summary>
    private sealed class SignBody
    {
        public byte[]? CsrDer { get; private set; }

        public string Ott { get; private set; } = string.Empty;

        public TimeDuration NotBefore { get; private set; }

        public TimeDuration NotAfter { get; private set; }

        public JsonElement? TemplateData { get; private set; }

        public static bool ReadMember(SignBody body, string name, ref Utf8JsonReader reader)
        {
            if (GoJsonRequest.Is(name, "csr"))
            {
                // Go calls CertificateRequest.UnmarshalJSON even for null, which clears the field.
                body.CsrDer = CsrPem.Decode(GoJsonRequest.ReadString(ref reader, string.Empty, "csr"));
            }
            else if (GoJsonRequest.Is(name, "ott"))
            {
                body.Ott = GoJsonRequest.ReadString(ref reader, body.Ott, "ott");
            }
            else if (GoJsonRequest.Is(name, "notBefore"))
            {
                body.NotBefore = TimeDuration.Parse(GoJsonRequest.ReadString(ref reader, string.Empty, "notBefore"));
            }
            else if (GoJsonRequest.Is(name, "notAfter"))
            {
                body.NotAfter = TimeDuration.Parse(GoJsonRequest.ReadString(ref reader, string.Empty, "notAfter"));
            }
            else if (GoJsonRequest.Is(name, "templateData"))
            {
                // json.RawMessage: any JSON value; null means none.
                var data = JsonElement.ParseValue(ref reader);
                body.TemplateData = data.ValueKind == JsonValueKind.Null ? null : data;
            }
            else
            {
                return false;
            }
            return true;
        }
    }
}
