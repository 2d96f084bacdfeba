using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Smallstep.Pki.TestServers.LocalTls;

namespace Smallstep.Pki.TestServers.AzureKeyVault;

/// <summary>
/// A local server speaking the Azure Key Vault keys REST API 7.x
/// (https://learn.microsoft.com/rest/api/keyvault/keys) for what step's azurekms uses, vaults as
/// path prefixes (<c>https://127.0.0.1:PORT/{vault}/keys/...</c>, the key manager's vault URL
/// override): create (EC, EC-HSM, RSA, RSA-HSM), get (latest or a version), sign (ES*, RS*, PS*)
/// and decrypt (RSA1_5, RSA-OAEP) with real keys; plus Microsoft Entra's token endpoint at
/// <c>/{tenant}/oauth2/v2.0/token</c>. Every vault call needs a bearer token this server issued.
/// Errors are Key Vault's <c>{"error":{"code","message"}}</c>. Thread-safe.
/// </summary>
public sealed class AzureKeyVaultServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, EntraApplication> _applications = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<KeyVaultKeyVersion>> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly BearerTokens _tokens = new();
    private LocalTlsServer? _server;
    private int _signatures;

    private AzureKeyVaultServer()
    {
    }

    /// <summary><c>https://127.0.0.1:PORT/</c>: the Entra authority host (<c>aad-endpoint</c>).</summary>
    public Uri BaseAddress => (_server ?? throw new InvalidOperationException("not started")).BaseAddress;

    /// <summary>The vault URL template for <c>PKI_AZUREKMS_VAULT_URL</c>.</summary>
    public string VaultUrlTemplate => BaseAddress.AbsoluteUri + "{vault}/";

    /// <summary>A PEM file of the root of the server's TLS certificate, for <c>PKI_KMS_CA_FILE</c>.</summary>
    public static string RootPemFile => LocalTlsServer.RootPemFile;

    /// <summary>How many tokens the Entra endpoint issued.</summary>
    public int TokensIssued => _tokens.Issued;

    /// <summary>How many sign operations succeeded.</summary>
    public int Signatures => Volatile.Read(ref _signatures);

    /// <summary>Starts the server.</summary>
    public static async Task<AzureKeyVaultServer> StartAsync()
    {
        var server = new AzureKeyVaultServer();
        server._server = await LocalTlsServer.StartAsync(server.Map).ConfigureAwait(false);
        return server;
    }

    /// <summary>Registers an application with a random client id and secret.</summary>
    public EntraApplication AddApplication(bool permitted = true)
    {
        var application = new EntraApplication(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)), permitted);
        _applications[application.ClientId] = application;
        return application;
    }

    /// <summary>Rotates a key: adds a new P-256 version that becomes the latest.</summary>
    public void AddEcVersion(string vault, string name) =>
        _keys.GetOrAdd($"{vault}/{name}", _ => new()).Enqueue(new KeyVaultKeyVersion(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), "EC", ECDsa.Create(ECCurve.NamedCurves.nistP256)));

    /// <summary>The <c>kty</c> of a key's latest version (test inspection), or null.</summary>
    public string? KeyType(string vault, string name) => Find(vault, name, null)?.Kty;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var version in _keys.Values.SelectMany(v => v))
        {
            version.Key.Dispose();
        }
    }

    private void Map(WebApplication app)
    {
        var entra = new EntraTokenEndpoint(_applications, _tokens);
        app.MapPost("/{tenant}/oauth2/v2.0/token", (HttpContext context, string tenant) => entra.HandleAsync(context, tenant));
        app.MapPost("/{vault}/keys/{name}/create", CreateAsync);
        app.MapGet("/{vault}/keys/{name}/{version?}", GetAsync);
        app.MapPost("/{vault}/keys/{name}/{version}/sign", SignAsync);
        app.MapPost("/{vault}/keys/{name}/{version}/decrypt", DecryptAsync);
        app.MapFallback(context => ErrorAsync(context, 404, "NotFound", $"no route for {context.Request.Method} {context.Request.Path}"));
    }

    private async Task CreateAsync(HttpContext context, string vault, string name)
    {
        var body = await AuthorizedBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }
        var kty = body["kty"]?.GetValue<string>();
        AsymmetricAlgorithm? key = kty switch
        {
            "EC" or "EC-HSM" => body["crv"]?.GetValue<string>() switch
            {
                "P-256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
                "P-384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
                "P-521" => ECDsa.Create(ECCurve.NamedCurves.nistP521),
                _ => null,
            },
            "RSA" or "RSA-HSM" => body["key_size"]?.GetValue<int>() is int bits and (2048 or 3072 or 4096) ? RSA.Create(bits) : null,
            _ => null,
        };
        if (key is null)
        {
            await ErrorAsync(context, 400, "BadParameter", $"Property kty/crv/key_size has an invalid value for kty {kty}.").ConfigureAwait(false);
            return;
        }
        (key as RSA)?.ExportParameters(false);
        var version = new KeyVaultKeyVersion(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), kty!, key);
        _keys.GetOrAdd($"{vault}/{name}", _ => new()).Enqueue(version);
        await WriteBundleAsync(context, vault, name, version).ConfigureAwait(false);
    }

    private async Task GetAsync(HttpContext context, string vault, string name, string? version)
    {
        if (!await AuthorizedAsync(context).ConfigureAwait(false))
        {
            return;
        }
        var found = Find(vault, name, version);
        await (found is null ? KeyNotFoundAsync(context, name) : WriteBundleAsync(context, vault, name, found)).ConfigureAwait(false);
    }

    private async Task SignAsync(HttpContext context, string vault, string name, string version)
    {
        var body = await AuthorizedBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }
        var found = Find(vault, name, version);
        if (found is null)
        {
            await KeyNotFoundAsync(context, name).ConfigureAwait(false);
            return;
        }
        var signature = Value(body) is { } digest ? found.Sign(body["alg"]?.GetValue<string>() ?? "", digest) : null;
        if (signature is null)
        {
            await ErrorAsync(context, 400, "BadParameter", "Invalid algorithm or digest length for this key.").ConfigureAwait(false);
            return;
        }
        Interlocked.Increment(ref _signatures);
        await context.Response.WriteAsJsonAsync(new { kid = Kid(vault, name, found), value = Base64Url.EncodeToString(signature) }).ConfigureAwait(false);
    }

    private async Task DecryptAsync(HttpContext context, string vault, string name, string version)
    {
        var body = await AuthorizedBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }
        var found = Find(vault, name, version);
        if (found is null)
        {
            await KeyNotFoundAsync(context, name).ConfigureAwait(false);
            return;
        }
        var padding = body["alg"]?.GetValue<string>() switch { "RSA1_5" => RSAEncryptionPadding.Pkcs1, "RSA-OAEP" => RSAEncryptionPadding.OaepSHA1, _ => null };
        byte[]? plaintext = null;
        if (found.Key is RSA rsa && padding is not null && Value(body) is { } ciphertext)
        {
            try
            {
                plaintext = rsa.Decrypt(ciphertext, padding);
            }
            catch (CryptographicException)
            {
            }
        }
        await (plaintext is null ? ErrorAsync(context, 400, "BadParameter", "The ciphertext or algorithm is not valid for this key.")
            : context.Response.WriteAsJsonAsync(new { kid = Kid(vault, name, found), value = Base64Url.EncodeToString(plaintext) })).ConfigureAwait(false);
    }

    private KeyVaultKeyVersion? Find(string vault, string name, string? version) =>
        _keys.TryGetValue($"{vault}/{name}", out var versions) ? (string.IsNullOrEmpty(version) ? versions.LastOrDefault() : versions.FirstOrDefault(v => v.Version == version)) : null;

    private string Kid(string vault, string name, KeyVaultKeyVersion version) => $"{BaseAddress.AbsoluteUri}{vault}/keys/{name}/{version.Version}";

    private Task WriteBundleAsync(HttpContext context, string vault, string name, KeyVaultKeyVersion version) =>
        context.Response.WriteAsJsonAsync(new { key = version.Jwk(Kid(vault, name, version)), attributes = new { enabled = true, recoveryLevel = "Recoverable+Purgeable" } });

    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        if (context.Request.Query["api-version"].ToString() is not { Length: > 0 } apiVersion || !apiVersion.StartsWith("7.", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 400, "BadParameter", "The api-version parameter is missing or not 7.x.").ConfigureAwait(false);
            return false;
        }
        var subject = _tokens.SubjectOf(context.Request);
        if (subject is null)
        {
            await ErrorAsync(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.").ConfigureAwait(false);
            return false;
        }
        if (!_applications.TryGetValue(subject, out var application) || !application.Permitted)
        {
            await ErrorAsync(context, 403, "Forbidden", $"Caller is not authorized to perform action on resource. Caller: appid={subject}. Action: 'Microsoft.KeyVault/vaults/keys/read'.", "ForbiddenByRbac").ConfigureAwait(false);
            return false;
        }
        return true;
    }

    private async Task<JsonObject?> AuthorizedBodyAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context).ConfigureAwait(false))
        {
            return null;
        }
        try
        {
            if (await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) is JsonObject body)
            {
                return body;
            }
        }
        catch (JsonException)
        {
        }
        await ErrorAsync(context, 400, "BadParameter", "The request body is not valid JSON.").ConfigureAwait(false);
        return null;
    }

    private static byte[]? Value(JsonObject body)
    {
        try
        {
            return body["value"]?.GetValue<string>() is { } text ? Base64Url.DecodeFromChars(text) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Task KeyNotFoundAsync(HttpContext context, string name) =>
        ErrorAsync(context, 404, "KeyNotFound", $"A key with (name/id) {name} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command.");

    // Key Vault's KeyVaultError.
    private static Task ErrorAsync(HttpContext context, int status, string code, string message, string? innerCode = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(innerCode is null ? new { error = (object)new { code, message } } : new { error = (object)new { code, message, innererror = new { code = innerCode } } });
    }
}
