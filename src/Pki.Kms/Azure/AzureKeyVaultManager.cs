using Azure.Core.Pipeline;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Remote;

namespace Smallstep.Pki.Kms.Azure;

/// <summary>
/// Keys in Azure Key Vault, after step's <c>kms/azurekms</c>: keys are named
/// <c>azurekms:name=KEY;vault=VAULT?version=VERSION&amp;hsm=true</c>, signed with the vault's
/// <c>sign</c> operation over a digest (ECDSA answers converted from JOSE's <c>r || s</c> to DER),
/// created as EC/RSA (or -HSM) keys, and RSA keys decrypt PKCS#1 v1.5 (<c>RSA1_5</c>) for SCEP.
/// Talks to the Key Vault REST API over HTTPS with Entra tokens. Thread-safe; disposing releases
/// the HTTP connections.
/// </summary>
public sealed class AzureKeyVaultManager : IKeyManager, IKeyDecrypter
{
    private readonly KeyVaultRestClient _client;
    private readonly HttpClient _tokenHttp;
    private readonly AzureKmsDefaults _defaults;

    private AzureKeyVaultManager(KeyVaultRestClient client, HttpClient tokenHttp, AzureKmsDefaults defaults)
    {
        _client = client;
        _tokenHttp = tokenHttp;
        _defaults = defaults;
    }

    /// <summary>Opens Key Vault with a ca.json <c>kms</c> block (credentials, cloud, default vault in <c>kms.uri</c>).</summary>
    /// <param name="kms">The ca.json <c>kms</c> block.</param>
    /// <param name="options">The vault URL override and extra roots.</param>
    /// <exception cref="PkiException">BadRequest naming <c>kms.uri</c> when it is malformed.</exception>
    public static AzureKeyVaultManager Create(KmsConfig kms, AzureKmsOptions options)
    {
        ArgumentNullException.ThrowIfNull(kms);
        ArgumentNullException.ThrowIfNull(options);
        var roots = KmsTls.LoadRoots(options.ExtraRootsFile);
        var tokenHttp = new HttpClient(KmsTls.CreateHandler(roots));
        try
        {
            var connection = AzureKmsConnection.From(kms, new HttpClientTransport(tokenHttp));
            var http = new HttpClient(KmsTls.CreateHandler(roots)) { Timeout = TimeSpan.FromSeconds(15) };
            return new AzureKeyVaultManager(new KeyVaultRestClient(http, connection, options.VaultUrlTemplate), tokenHttp, connection.Defaults);
        }
        catch
        {
            tokenHttp.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>> GetPublicKeyAsync(string keyUri, CancellationToken cancellationToken = default)
    {
        var jwk = await _client.GetKeyAsync(AzureKeyName.Parse(keyUri, _defaults), cancellationToken).ConfigureAwait(false);
        return KeyVaultJsonWebKey.Describe(jwk).Key.SubjectPublicKeyInfo;
    }

    /// <inheritdoc />
    public async ValueTask<ICertificateSigner> GetSignerAsync(string keyUri, CancellationToken cancellationToken = default)
    {
        var name = AzureKeyName.Parse(keyUri, _defaults);
        var jwk = await _client.GetKeyAsync(name, cancellationToken).ConfigureAwait(false);
        var signing = KeyVaultJsonWebKey.Describe(jwk);
        // Pin the version whose public key was read: a later rotation must not change what signs.
        name = name with { Version = KeyVaultRestClient.VersionOf(jwk) };
        return new RemoteSigner(signing.Key, async (digest, ct) =>
        {
            var signature = await _client.OperationAsync("keyVault Sign", name, "sign", signing.JoseAlgorithm, digest, ct).ConfigureAwait(false);
            return signing.EcdsaFieldBytes > 0 ? EcdsaSignatureEncoding.RawToDer(signature, signing.EcdsaFieldBytes) : signature;
        });
    }

    /// <summary>
    /// Creates the key named by <c>name</c>/<c>vault</c> (the <c>hsm</c> flag choosing EC-HSM/RSA-HSM)
    /// and returns <c>azurekms:name=KEY;vault=VAULT?version=NEW</c>, as step does.
    /// </summary>
    /// <exception cref="PkiException">Conflict when the key exists (Key Vault would add a version; here a name is never reused silently).</exception>
    public async ValueTask<CreatedKey> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = AzureKeyName.Parse(request.Name, _defaults);
        var parameters = KeyVaultJsonWebKey.CreateParameters(request.Algorithm, request.RsaBits, name.Hsm);
        if (await _client.TryGetKeyAsync(name with { Version = string.Empty }, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw PkiException.Conflict($"keyVault CreateKey failed: key {name.Name} already exists in vault {name.Vault}");
        }
        var jwk = await _client.CreateKeyAsync(name, parameters, cancellationToken).ConfigureAwait(false);
        return new CreatedKey(name.ToUri(KeyVaultRestClient.VersionOf(jwk)), KeyVaultJsonWebKey.Describe(jwk).Key.SubjectPublicKeyInfo);
    }

    /// <summary>Decrypts an RSA PKCS#1 v1.5 ciphertext with the vault's <c>decrypt</c> operation (<c>RSA1_5</c>).</summary>
    public async ValueTask<byte[]> DecryptAsync(string keyUri, ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken = default)
    {
        var name = AzureKeyName.Parse(keyUri, _defaults);
        if (name.Version.Length == 0)
        {
            name = name with { Version = KeyVaultRestClient.VersionOf(await _client.GetKeyAsync(name, cancellationToken).ConfigureAwait(false)) };
        }
        return await _client.OperationAsync("keyVault Decrypt", name, "decrypt", "RSA1_5", ciphertext.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _tokenHttp.Dispose();
        return ValueTask.CompletedTask;
    }
}
