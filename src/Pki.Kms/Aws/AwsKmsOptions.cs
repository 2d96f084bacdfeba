using Amazon.KeyManagementService;
using Amazon.Runtime;

namespace Smallstep.Pki.Kms.Aws;

/// <summary>
/// Options of the AWS KMS key manager beyond ca.json's <c>kms</c> block (which names the region,
/// profile, credentials file and, as an extension, the endpoint). For applications that embed the CA.
/// </summary>
public sealed class AwsKmsOptions
{
    /// <summary>The default <see cref="RsaSigningAlgorithm"/>: PKCS#1 v1.5 with SHA-256, what Go's x509 uses for RSA issuers.</summary>
    public const string DefaultRsaSigningAlgorithm = "RSASSA_PKCS1_V1_5_SHA_256";

    /// <summary>
    /// The KMS endpoint when neither <c>kms.uri</c>'s <c>endpoint</c> attribute nor the profile's
    /// <c>endpoint_url</c> sets one, e.g. a VPC endpoint (<c>https://vpce-….kms.us-east-2.vpce.amazonaws.com</c>)
    /// or LocalStack. Null: the SDK's endpoint for the region (or <c>AWS_ENDPOINT_URL_KMS</c>).
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// The AWS signing algorithm RSA keys sign with: <c>RSASSA_PKCS1_V1_5_SHA_256</c> (default),
    /// <c>_SHA_384</c>, <c>_SHA_512</c>, or <c>RSASSA_PSS_SHA_256</c>, <c>_384</c>, <c>_512</c>.
    /// SSH certificates need PKCS#1 v1.5 with SHA-256 or SHA-512 (rsa-sha2-256/512).
    /// </summary>
    public string RsaSigningAlgorithm { get; set; } = DefaultRsaSigningAlgorithm;

    /// <summary>Credentials to use when ca.json names neither a profile nor a credentials file (else the SDK's default chain).</summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Last say over the SDK client configuration (timeouts, retries, proxy), applied after ca.json's settings.</summary>
    public Action<AmazonKeyManagementServiceConfig>? ConfigureClient { get; set; }
}
