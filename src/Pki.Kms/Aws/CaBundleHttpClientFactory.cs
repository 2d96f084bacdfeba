using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;

namespace Smallstep.Pki.Kms.Aws;

/// <summary>
/// HTTP clients that trust only the certificates of a CA bundle, for a profile's <c>ca_bundle</c>
/// (the AWS shared-config setting that aws-sdk-go-v2, and so step-ca, honours; the .NET SDK reads
/// only the <c>AWS_CA_BUNDLE</c> variable): a private VPC endpoint or a local test server. The
/// server's chain must end in one of the bundle's certificates and its name must match.
/// </summary>
internal sealed class CaBundleHttpClientFactory(X509Certificate2Collection trusted) : HttpClientFactory
{
    /// <summary>Reads every PEM certificate of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">The file holds no certificate.</exception>
    public static X509Certificate2Collection ReadBundle(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates.Count > 0 ? certificates : throw new InvalidOperationException("the file holds no PEM certificate");
    }

    /// <inheritdoc />
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
        };
        return new HttpClient(handler) { Timeout = clientConfig.Timeout ?? TimeSpan.FromSeconds(100) };
    }

    /// <inheritdoc />
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    /// <inheritdoc />
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    /// <inheritdoc />
    public override string GetConfigUniqueString(IClientConfig clientConfig) => "ca-bundle:" + string.Join(",", trusted.Select(c => c.Thumbprint));

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trusted);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
