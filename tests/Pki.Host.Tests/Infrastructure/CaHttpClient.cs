using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// An <see cref="HttpClient"/> that trusts only one CA root (as <c>curl --cacert root_ca.crt</c> or
/// <c>step --root</c> do) and optionally presents a TLS client certificate.
/// </summary>
internal static class CaHttpClient
{
    public static HttpClient Create(Uri baseAddress, X509Certificate2 root, X509Certificate2? clientCertificate = null)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ChainsToRoot(root, certificate, chain, errors),
        };
        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
            // Present the certificate whatever acceptable issuers the server lists.
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }
        var handler = new SocketsHttpHandler { SslOptions = ssl };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The server certificate chains to <paramref name="root"/> (with the intermediates it sent) and names the host.</summary>
    internal static bool ChainsToRoot(X509Certificate2 root, X509Certificate? certificate, X509Chain? handshakeChain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }
        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (handshakeChain is not null)
        {
            // The intermediates the server sent in the handshake.
            chain.ChainPolicy.ExtraStore.AddRange(handshakeChain.ChainPolicy.ExtraStore);
            chain.ChainPolicy.ExtraStore.AddRange(handshakeChain.ChainElements.Select(e => e.Certificate).ToArray());
        }
        return chain.Build(leaf);
    }
}
