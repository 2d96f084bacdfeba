using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>Gets a certificate the ordinary way (JWK token + CSR) for tests that need one to renew, rekey or revoke.</summary>
internal static class Issuing
{
    /// <summary>Signs a CSR of <paramref name="key"/> for <paramref name="commonName"/>; returns the response and the certificate joined with the key.</summary>
    public static async Task<(IssuedResponse Response, X509Certificate2 Certificate)> IssueAsync(this ServedPki pki, HttpClient client, ClientKey key, string commonName)
    {
        var token = pki.Provisioner.SignToken(commonName);
        using var response = await client.PostJsonAsync("/1.0/sign", new { csr = key.CsrPem(commonName), ott = token });
        var issued = await response.ShouldBeIssuedAsync();
        return (issued, key.WithKey(issued.CrtPem));
    }
}
