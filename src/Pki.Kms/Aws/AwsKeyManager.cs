using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using AwsCreateKeyRequest = Amazon.KeyManagementService.Model.CreateKeyRequest;
using CreateKeyRequest = Smallstep.Pki.Keys.CreateKeyRequest;

namespace Smallstep.Pki.Kms.Aws;

/// <summary>
/// step's awskms (go.step.sm/crypto <c>kms/awskms</c>): CA keys in AWS Key Management Service,
/// addressed as <c>awskms:key-id=&lt;key id | key ARN | alias/name | alias ARN&gt;</c>. Needs
/// <c>kms:GetPublicKey</c> to open a key, <c>kms:Sign</c> to sign, and <c>kms:CreateKey</c> +
/// <c>kms:CreateAlias</c> to create one. Thread-safe; disposing it disposes the SDK client.
/// </summary>
/// <remarks>
/// AWS KMS decrypts with RSA only as RSAES-OAEP (SHA-1 or SHA-256), never PKCS#1 v1.5, which is what
/// SCEP's key transport needs; <see cref="DecryptAsync"/> therefore refuses, as step's awskms
/// decrypter refuses PKCS#1 v1.5 options.
/// </remarks>
public sealed partial class AwsKeyManager : IKeyManager, IKeyDecrypter
{
    private readonly IAmazonKeyManagementService _client;
    private readonly string _rsaSigningAlgorithm;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Creates a manager over an SDK client the caller configured.</summary>
    /// <param name="client">The KMS client; disposed with the manager.</param>
    /// <param name="options">The RSA signing scheme (other options only apply to <see cref="Create"/>).</param>
    /// <param name="logger">Where key openings and creations are logged (key ids only).</param>
    /// <exception cref="PkiException">BadRequest for an unknown <see cref="AwsKmsOptions.RsaSigningAlgorithm"/>.</exception>
    public AwsKeyManager(IAmazonKeyManagementService client, AwsKmsOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _rsaSigningAlgorithm = AwsSigningScheme.RsaScheme(options?.RsaSigningAlgorithm ?? AwsKmsOptions.DefaultRsaSigningAlgorithm).SigningAlgorithm;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Creates a manager for ca.json's <c>kms</c> block: region, profile and credentials file from
    /// <c>kms.uri</c> (taking precedence) or the block's fields, the endpoint from the URI's
    /// <c>endpoint</c>, <paramref name="options"/> or the profile's <c>endpoint_url</c>.
    /// </summary>
    /// <exception cref="CaConfigException">The block cannot be used; the message names the field.</exception>
    /// <exception cref="PkiException">BadRequest for an unknown <see cref="AwsKmsOptions.RsaSigningAlgorithm"/>.</exception>
    public static AwsKeyManager Create(KmsConfig kms, AwsKmsOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(kms);
        ArgumentNullException.ThrowIfNull(options);
        AwsSigningScheme.RsaScheme(options.RsaSigningAlgorithm); // checked before a client exists that would then leak
        var (client, description) = AwsKmsClientFactory.Create(AwsKmsSettings.From(kms), options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AwsKeyManager>();
        LogClient(logger, description);
        return new AwsKeyManager(client, options, logger);
    }

    /// <summary>The key's DER SubjectPublicKeyInfo, as AWS returns it from <c>GetPublicKey</c>.</summary>
    /// <exception cref="PkiException">BadRequest for a malformed name, NotFound for a missing key, Forbidden for refused credentials, Internal when AWS is unreachable.</exception>
    public async ValueTask<ReadOnlyMemory<byte>> GetPublicKeyAsync(string keyUri, CancellationToken cancellationToken = default)
    {
        var keyId = AwsKeyNames.KeyId(keyUri);
        var response = await GetPublicKeyResponseAsync(keyId, cancellationToken).ConfigureAwait(false);
        return response.PublicKey.ToArray();
    }

    /// <summary>Opens a signer: reads the public key and key spec once, then signs with <c>Sign</c>.</summary>
    /// <exception cref="PkiException">
    /// As <see cref="GetPublicKeyAsync"/>, and BadRequest for a key that is not a SIGN_VERIFY key of a
    /// spec a CA signs with (ECC_NIST_P256/384/521, RSA_2048/3072/4096).
    /// </exception>
    public async ValueTask<ICertificateSigner> GetSignerAsync(string keyUri, CancellationToken cancellationToken = default)
    {
        var keyId = AwsKeyNames.KeyId(keyUri);
        var response = await GetPublicKeyResponseAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (response.KeyUsage is { } usage && usage != KeyUsageType.SIGN_VERIFY)
        {
            throw PkiException.BadRequest($"awskms key '{keyId}' has key usage {usage.Value}; a CA key needs SIGN_VERIFY");
        }
        var (algorithm, scheme) = AwsSigningScheme.ForKeySpec(response.KeySpec?.Value, _rsaSigningAlgorithm, keyId);
        if (response.SigningAlgorithms is { Count: > 0 } offered && !offered.Contains(scheme.SigningAlgorithm))
        {
            throw PkiException.BadRequest($"awskms key '{keyId}' does not offer {scheme.SigningAlgorithm} (it offers {string.Join(", ", offered)})");
        }
        LogOpened(_logger, keyId, response.KeySpec?.Value ?? "", scheme.SigningAlgorithm);
        return new AwsKmsSigner(_client, keyId, response.PublicKey.ToArray(), algorithm, scheme);
    }

    /// <summary>
    /// Creates a SIGN_VERIFY key as <c>step kms create</c> does: description and <c>name</c> tag set to
    /// the name (<see cref="CreateKeyRequest.Name"/>, or the <c>name</c> attribute of an
    /// <c>awskms:name=…</c> URI), then the alias <c>alias/&lt;name&gt;-&lt;first 8 characters of the key id&gt;</c>.
    /// Returns <c>awskms:key-id=&lt;key id&gt;</c>. A second key created under one name is a new key
    /// with its own alias, as in step; nothing is replaced.
    /// </summary>
    /// <exception cref="PkiException">BadRequest for an unusable name, algorithm or size; else as <see cref="GetPublicKeyAsync"/>.</exception>
    public async ValueTask<CreatedKey> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var name = AwsKeyNames.NewKeyName(request.Name);
        var keySpec = AwsSigningScheme.KeySpecFor(request.Algorithm, request.RsaBits);
        var created = await CallAsync("CreateKey", name, () => _client.CreateKeyAsync(StepCreateKeyInput(name, keySpec), cancellationToken)).ConfigureAwait(false);
        var keyId = created.KeyMetadata?.KeyId is { Length: > 0 } id ? id : throw PkiException.Internal("awskms CreateKey returned no key id");
        var alias = AwsKeyNames.Alias(name, keyId);
        await CallAsync("CreateAlias", keyId, () => _client.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = keyId }, cancellationToken)).ConfigureAwait(false);
        var publicKey = await GetPublicKeyResponseAsync(keyId, cancellationToken).ConfigureAwait(false);
        LogCreated(_logger, keyId, alias, keySpec.Value);
        return new CreatedKey(AwsKeyNames.KeyUri(keyId), publicKey.PublicKey.ToArray());
    }

    /// <summary>Always refuses: AWS KMS has no RSA PKCS#1 v1.5 decryption (only RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256).</summary>
    /// <exception cref="PkiException">NotImplemented, always, before any call to AWS.</exception>
    public ValueTask<byte[]> DecryptAsync(string keyUri, ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken = default) =>
        throw PkiException.NotImplemented(
            "awskms cannot decrypt SCEP requests: AWS KMS decrypts RSA only with RSAES-OAEP, SCEP needs RSA PKCS#1 v1.5; "
            + "give the SCEP provisioner a decrypterKeyPEM or a softkms or pkcs11 decrypterKey");

    /// <summary>Disposes the SDK client. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _client.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private async Task<GetPublicKeyResponse> GetPublicKeyResponseAsync(string keyId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var response = await CallAsync("GetPublicKey", keyId, () => _client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId }, cancellationToken)).ConfigureAwait(false);
        return response.PublicKey is { Length: > 0 }
            ? response
            : throw PkiException.BadRequest($"awskms key '{keyId}' has no public key (a symmetric or HMAC key cannot be a CA key)");
    }

    private static async Task<T> CallAsync<T>(string operation, string keyId, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (AwsKmsErrors.IsServiceFailure(e))
        {
            throw AwsKmsErrors.Wrap(e, operation, keyId);
        }
    }

    /// <summary>step's CreateKeyInput: description and <c>name</c> tag are the name, usage SIGN_VERIFY.</summary>
    private static AwsCreateKeyRequest StepCreateKeyInput(string name, KeySpec keySpec) => new()
    {
        Description = name,
        KeySpec = keySpec,
        KeyUsage = KeyUsageType.SIGN_VERIFY,
        Tags = [new Tag { TagKey = "name", TagValue = name }],
    };

    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "awskms client: {Description}")]
    private static partial void LogClient(ILogger logger, string description);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "awskms key {KeyId} opened: {KeySpec}, signing with {SigningAlgorithm}")]
    private static partial void LogOpened(ILogger logger, string keyId, string keySpec, string signingAlgorithm);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "awskms key {KeyId} created: {KeySpec}, alias {Alias}")]
    private static partial void LogCreated(ILogger logger, string keyId, string alias, string keySpec);
}
