using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// The TLS client certificate of a request, verified the way step-ca's TLS listener verifies it
/// before any handler runs (ca/ca.go <c>getTLSConfig</c>: <c>VerifyClientCertIfGiven</c> against the
/// roots, with the intermediates available for chain building, for the clientAuth purpose, at the
/// current time). Checked again here so the API fails closed whatever Kestrel's client-certificate
/// settings are (e.g. <c>AllowAnyClientCertificate</c>).
/// </summary>
internal static class ClientCertificateVerifier
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>
    /// The verified client certificate, or null when the client presented none. Throws an
    /// <see cref="PkiErrorKind.Unauthorized"/> error for a certificate that does not chain to the CA
    /// (where step-ca would already have failed the handshake).
    /// </summary>
    public static X509Certificate2? GetVerified(HttpContext http, TrustBundle trust, TimeProvider time)
    {
        var certificate = http.Connection.ClientCertificate;
        if (certificate is null)
        {
            return null;
        }
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trust.Roots.ToArray());
        policy.ExtraStore.AddRange(trust.Intermediates.ToArray());
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationTime = time.GetUtcNow().UtcDateTime;
        policy.ApplicationPolicy.Add(ClientAuthentication);
        if (!chain.Build(certificate))
        {
            var problems = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            throw PkiException.Unauthorized($"client certificate {certificate.Subject} (serial {certificate.SerialNumber}) is not trusted: {problems}");
        }
        return certificate;
    }
}
