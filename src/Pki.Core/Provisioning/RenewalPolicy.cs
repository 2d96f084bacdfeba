using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// step-ca's default renewal rule (authority/provisioner/controller.go <c>DefaultAuthorizeRenew</c>):
/// refused when <c>disableRenewal</c>, before notBefore, or after notAfter unless
/// <c>allowRenewalAfterExpiry</c>.
/// </summary>
public static class RenewalPolicy
{
    /// <summary>Throws a 401 when the certificate may not be renewed now.</summary>
    public static void Authorize(string provisionerName, ClaimSet claims, X509Certificate2 certificate, DateTimeOffset now)
    {
        if (claims.DisableRenewal)
        {
            throw PkiException.Unauthorized($"renew is disabled for provisioner '{provisionerName}'");
        }
        var truncated = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        if (truncated < certificate.NotBefore.ToUniversalTime())
        {
            throw PkiException.Unauthorized($"certificate is not yet valid {truncated:O} vs {certificate.NotBefore.ToUniversalTime():O}");
        }
        if (truncated > certificate.NotAfter.ToUniversalTime() && !claims.AllowRenewalAfterExpiry)
        {
            throw PkiException.Unauthorized("certificate has expired");
        }
    }
}
