using Smallstep.Pki.Kms.KeyUris;
using Microsoft.Extensions.Logging;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Remote;
using Smallstep.Pki.Kms.Soft.Pem;

namespace Smallstep.Pki.Kms.GoogleCloud;

/// <summary>
/// Keys in Google Cloud KMS, after step's <c>kms/cloudkms</c>: key versions are named by their
/// resource names (plain, <c>cloudkms:projects/...</c> or <c>cloudkms:resource=...</c>), signed with
/// <c>asymmetricSign</c> over a digest, and created (with their key ring when missing) as
/// <c>ASYMMETRIC_SIGN</c> keys. Talks to the REST API v1 over HTTPS. Thread-safe; disposing
/// releases the HTTP connections.
/// </summary>
/// <remarks>
/// No <see cref="IKeyDecrypter"/>: Cloud KMS decrypts only RSA-OAEP, and step's cloudkms decrypter
/// refuses PKCS#1 v1.5, which is what that interface (SCEP) needs.
/// </remarks>
public sealed partial class GoogleCloudKeyManager : IKeyManager
{
    private readonly CloudKmsRestClient _client;
    private readonly GoogleCloudKmsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private GoogleCloudKeyManager(CloudKmsRestClient client, GoogleCloudKmsOptions options, TimeProvider time, ILogger logger)
    {
        _client = client;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Opens Cloud KMS with the credentials of a ca.json <c>kms</c> block: <c>credentials-file</c> in
    /// <c>kms.uri</c> (which takes precedence), else <c>kms.credentialsFile</c>, else Application
    /// Default Credentials.
    /// </summary>
    /// <param name="kms">The ca.json <c>kms</c> block.</param>
    /// <param name="options">The endpoint and creation settings.</param>
    /// <param name="time">The clock waiting for new key versions.</param>
    /// <param name="logger">Logs waits for key generation.</param>
    /// <param name="cancellationToken">Cancels loading the credentials.</param>
    /// <exception cref="PkiException">BadRequest naming the field for a malformed URI or an unusable credentials file.</exception>
    public static async Task<GoogleCloudKeyManager> CreateAsync(Configuration.KmsConfig kms, GoogleCloudKmsOptions options, TimeProvider time, ILogger<GoogleCloudKeyManager> logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kms);
        ArgumentNullException.ThrowIfNull(options);
        var (credentialsFile, field) = CredentialsFile(kms);
        var endpoint = options.ResolveEndpoint();
        var roots = KmsTls.LoadRoots(options.ExtraRootsFile);
        var tokens = await CloudKmsTokenSource.CreateAsync(credentialsFile, field, new TrustingHttpClientFactory(roots), cancellationToken).ConfigureAwait(false);
        var http = new HttpClient(KmsTls.CreateHandler(roots)) { Timeout = TimeSpan.FromSeconds(15) };
        return new GoogleCloudKeyManager(new CloudKmsRestClient(http, endpoint, tokens), options, time, logger);
    }

    /// <summary>The credentials file and the field it came from: the URI's <c>credentials-file</c> wins over <c>credentialsFile</c>.</summary>
    internal static (string? File, string Field) CredentialsFile(Configuration.KmsConfig kms)
    {
        if (!string.IsNullOrEmpty(kms.Uri))
        {
            var uri = KmsUri.Parse(kms.Uri, CloudKmsResourceName.Scheme, "kms.uri");
            var file = uri.Get("credentials-file");
            if (file.Length > 0)
            {
                return (file, "kms.uri (credentials-file)");
            }
        }
        return (string.IsNullOrEmpty(kms.CredentialsFile) ? null : kms.CredentialsFile, "kms.credentialsFile");
    }

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>> GetPublicKeyAsync(string keyUri, CancellationToken cancellationToken = default)
    {
        var (pem, _) = await _client.GetPublicKeyAsync(CloudKmsResourceName.KeyVersion(keyUri), cancellationToken).ConfigureAwait(false);
        return Spki(pem);
    }

    /// <inheritdoc />
    public async ValueTask<ICertificateSigner> GetSignerAsync(string keyUri, CancellationToken cancellationToken = default)
    {
        var version = CloudKmsResourceName.KeyVersion(keyUri);
        var (pem, algorithm) = await _client.GetPublicKeyAsync(version, cancellationToken).ConfigureAwait(false);
        var (key, digestField) = CloudKmsAlgorithms.Describe(algorithm, Spki(pem));
        return new RemoteSigner(key, (digest, ct) => _client.AsymmetricSignAsync(version, digestField, digest, ct));
    }

    /// <summary>
    /// Creates <c>projects/P/locations/L/keyRings/R/cryptoKeys/K</c> (and the key ring if missing),
    /// waits until its first version is <c>ENABLED</c>, and returns
    /// <c>cloudkms:projects/.../cryptoKeyVersions/1</c> as step does.
    /// </summary>
    /// <exception cref="PkiException">Conflict when the crypto key exists (step would add a version; here a name is never reused silently).</exception>
    public async ValueTask<CreatedKey> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (keyRing, keyId) = CloudKmsResourceName.CryptoKey(request.Name);
        var algorithm = CloudKmsAlgorithms.ForNewKey(request.Algorithm, request.RsaBits);
        var protection = _options.ProtectionLevel.ToUpperInvariant() is "SOFTWARE" or "HSM" ? _options.ProtectionLevel.ToUpperInvariant()
            : throw PkiException.BadRequest($"cloudKMS does not support protection level '{_options.ProtectionLevel}' (SOFTWARE or HSM)");
        if (!await _client.KeyRingExistsAsync(keyRing, cancellationToken).ConfigureAwait(false))
        {
            var (location, ringId) = CloudKmsResourceName.KeyRing(keyRing);
            await _client.CreateKeyRingAsync(location, ringId, cancellationToken).ConfigureAwait(false);
        }
        var cryptoKey = await _client.CreateCryptoKeyAsync(keyRing, keyId, algorithm, protection, cancellationToken).ConfigureAwait(false);
        var version = CloudKmsResourceName.KeyVersion(cryptoKey + "/cryptoKeyVersions/1");
        await WaitUntilEnabledAsync(version, cancellationToken).ConfigureAwait(false);
        var (pem, _) = await _client.GetPublicKeyAsync(version, cancellationToken).ConfigureAwait(false);
        return new CreatedKey($"{CloudKmsResourceName.Scheme}:{version}", Spki(pem));
    }

    private static byte[] Spki(string pem) => PublicKeyPem.TryReadSubjectPublicKeyInfo(pem, "the Cloud KMS public key")
        ?? throw PkiException.Internal("Cloud KMS answered a public key PEM without a PUBLIC KEY block");

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    // Key material is generated asynchronously (PENDING_GENERATION, mostly for HSM keys); step
    // retries GetPublicKey ten times with a growing sleep. Here the version's state is polled on the
    // injected clock, a bounded number of times.
    private async Task WaitUntilEnabledAsync(string version, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var state = await _client.GetKeyVersionStateAsync(version, cancellationToken).ConfigureAwait(false);
            if (state == "ENABLED")
            {
                return;
            }
            if (state != "PENDING_GENERATION")
            {
                throw PkiException.Internal($"cloudKMS key {version} is {state}, not ENABLED");
            }
            if (attempt >= _options.KeyGenerationPollAttempts)
            {
                throw PkiException.Internal($"cloudKMS key {version} is still PENDING_GENERATION after {attempt} checks");
            }
            LogWaitingForGeneration(_logger, version, attempt);
            await Task.Delay(_options.KeyGenerationPollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Waiting for Cloud KMS to generate {KeyVersion} (check {Attempt})")]
    private static partial void LogWaitingForGeneration(ILogger logger, string keyVersion, int attempt);

    /// <summary>Google.Apis' HTTP clients (token requests) with the same trust as the KMS calls.</summary>
    private sealed class TrustingHttpClientFactory(System.Security.Cryptography.X509Certificates.X509Certificate2Collection roots) : Google.Apis.Http.HttpClientFactory
    {
        protected override HttpMessageHandler CreateHandler(Google.Apis.Http.CreateHttpClientArgs args) => KmsTls.CreateHandler(roots);
    }
}
