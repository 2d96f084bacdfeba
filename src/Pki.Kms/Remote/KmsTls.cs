using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Kms.Remote;

/// <summary>
/// TLS for the cloud key managers' HTTPS calls (the service and its token endpoint): the system's
/// trust store, plus optional extra roots for a private endpoint whose certificate a private CA
/// issued (and for the local test servers). The host name is always checked.
/// </summary>
internal static class KmsTls
{
    /// <summary>The environment variable naming a PEM file of extra roots trusted for the cloud key managers' endpoints.</summary>
    public const string ExtraRootsVariable = "PKI_KMS_CA_FILE";

    /// <summary>Reads the extra roots from <paramref name="pemFile"/>, or none when it is null or empty.</summary>
    /// <exception cref="Errors.PkiException">BadRequest when the file cannot be read.</exception>
    public static X509Certificate2Collection LoadRoots(string? pemFile)
    {
        var roots = new X509Certificate2Collection();
        if (!string.IsNullOrEmpty(pemFile))
        {
            try
            {
                roots.ImportFromPemFile(pemFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw Errors.PkiException.BadRequest($"the extra KMS roots ({ExtraRootsVariable}) {pemFile} cannot be read: {e.Message}", e);
            }
        }
        return roots;
    }

    /// <summary>A handler trusting the system roots and <paramref name="extraRoots"/>.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2Collection extraRoots)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (extraRoots.Count > 0)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Accept(extraRoots, certificate, chain, errors),
            };
        }
        return handler;
    }

    private static bool Accept(X509Certificate2Collection extraRoots, X509Certificate? certificate, X509Chain? handshake, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }
        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (handshake is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(handshake.ChainPolicy.ExtraStore);
        }
        return chain.Build(leaf);
    }
}
