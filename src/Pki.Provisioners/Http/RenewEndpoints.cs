using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary><c>POST /renew</c> (alias <c>/re-sign</c>) and <c>POST /rekey</c> (api/renew.go, api/rekey.go).</summary>
internal static class RenewEndpoints
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>
    /// Renews the certificate the caller proves: the TLS client certificate first (the body is
    /// ignored), else an <c>Authorization: Bearer</c> renew token checked by the registered
    /// <see cref="IRenewTokenAuthorizer"/>, else 400 <c>missing client certificate</c>.
    /// </summary>
    public static async Task Renew(StepApiContext call)
    {
        var certificate = ClientCertificateVerifier.GetVerified(call.Http, call.Authority.Trust, call.Time)
            ?? await FromBearerTokenAsync(call).ConfigureAwait(false)
            ?? throw MissingClientCertificate();
        var issued = await call.Authority.RenewAsync(certificate, call.Aborted).ConfigureAwait(false);
        await IssuedCertificateResponse.WriteAsync(call, issued).ConfigureAwait(false);
    }

    /// <summary>Re-issues the TLS client certificate for the key of the CSR in <c>{"csr":PEM}</c>; mTLS only.</summary>
    public static async Task Rekey(StepApiContext call)
    {
        var certificate = ClientCertificateVerifier.GetVerified(call.Http, call.Authority.Trust, call.Time)
            ?? throw MissingClientCertificate();
        var body = await RequestBody.ReadAsync(call.Http, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        var csr = CsrPem.Require(GoJsonRequest.Decode(body, new RekeyBody(), RekeyBody.ReadMember).CsrDer);
        var issued = await call.Authority.RekeyAsync(certificate, csr, call.Aborted).ConfigureAwait(false);
        await IssuedCertificateResponse.WriteAsync(call, issued).ConfigureAwait(false);
    }

    private static async Task<X509Certificate2?> FromBearerTokenAsync(StepApiContext call)
    {
        string? header = call.Http.Request.Headers.Authorization.FirstOrDefault();
        var authorizer = call.Http.RequestServices.GetService<IRenewTokenAuthorizer>();
        if (authorizer is null || header is null || !header.StartsWith(BearerPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        return await authorizer.AuthorizeRenewTokenAsync(header[BearerPrefix.Length..], call.Aborted).ConfigureAwait(false);
    }

    private static PkiException MissingClientCertificate() => PkiException.BadRequest("missing client certificate");

    /// <summary>The rekey body: <c>{"csr"}</c>.</summary>
    private sealed class RekeyBody
    {
        public byte[]? CsrDer { get; private set; }

        public static bool ReadMember(RekeyBody body, string name, ref Utf8JsonReader reader)
        {
            if (!GoJsonRequest.Is(name, "csr"))
            {
                return false;
            }
            body.CsrDer = CsrPem.Decode(GoJsonRequest.ReadString(ref reader, string.Empty, "csr"));
            return true;
        }
    }
}
