using System.Buffers.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Remote;

namespace Smallstep.Pki.Kms.Azure;

/// <summary>
/// The Key Vault keys REST API (7.4, https://learn.microsoft.com/rest/api/keyvault/keys) calls step's
/// azurekms makes through azkeys: get, create, sign, and decrypt. Bearer tokens come from the Entra
/// credential for the cloud's Key Vault scope. Binary values are base64url (JWK, RFC 7517/7518).
/// Errors become <see cref="PkiException"/>s with Key Vault's <c>error.code</c> and <c>message</c>. Thread-safe.
/// </summary>
internal sealed class KeyVaultRestClient(HttpClient http, AzureKmsConnection connection, string? vaultUrlTemplate) : IDisposable
{
    private const string ApiVersion = "7.4";

    /// <summary><c>GET keys/{name}/{version}</c>: the key bundle's <c>key</c> (a JWK) or null when it does not exist.</summary>
    public async Task<JsonObject?> TryGetKeyAsync(AzureKeyName key, CancellationToken cancellationToken)
    {
        try
        {
            return await GetKeyAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (PkiException e) when (e.Kind == PkiErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary><c>GET keys/{name}/{version}</c>: the key bundle's <c>key</c> (a JWK).</summary>
    public async Task<JsonObject> GetKeyAsync(AzureKeyName key, CancellationToken cancellationToken)
    {
        var path = key.Version.Length > 0 ? $"keys/{key.Name}/{key.Version}" : $"keys/{key.Name}";
        var bundle = await SendAsync("keyVault GetKey", HttpMethod.Get, key, path, null, cancellationToken).ConfigureAwait(false);
        return bundle["key"] as JsonObject ?? throw PkiException.Internal("Key Vault answered a key bundle without 'key'");
    }

    /// <summary><c>POST keys/{name}/create</c>; returns the new version's JWK.</summary>
    public async Task<JsonObject> CreateKeyAsync(AzureKeyName key, JsonObject parameters, CancellationToken cancellationToken)
    {
        var bundle = await SendAsync("keyVault CreateKey", HttpMethod.Post, key, $"keys/{key.Name}/create", parameters, cancellationToken).ConfigureAwait(false);
        return bundle["key"] as JsonObject ?? throw PkiException.Internal("Key Vault answered a key bundle without 'key'");
    }

    /// <summary><c>POST keys/{name}/{version}/sign</c> or <c>/decrypt</c> with <c>{"alg","value"}</c>; returns the result's value. <paramref name="key"/> must name a version.</summary>
    public async Task<byte[]> OperationAsync(string operation, AzureKeyName key, string verb, string algorithm, byte[] value, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["alg"] = algorithm, ["value"] = Base64Url.EncodeToString(value) };
        var result = await SendAsync(operation, HttpMethod.Post, key, $"keys/{key.Name}/{key.Version}/{verb}", body, cancellationToken).ConfigureAwait(false);
        return Base64UrlMember(result, "value");
    }

    /// <summary>The version in a JWK's <c>kid</c> (<c>https://VAULT.../keys/NAME/VERSION</c>).</summary>
    /// <exception cref="PkiException">Internal when the kid has no version.</exception>
    public static string VersionOf(JsonObject jwk)
    {
        var kid = (jwk["kid"]?.GetValue<string>() ?? string.Empty).TrimEnd('/');
        var version = kid[(kid.LastIndexOf('/') + 1)..];
        return kid.Contains("/keys/", StringComparison.Ordinal) && version.Length > 0 ? version
            : throw PkiException.Internal("Key Vault answered a key without a versioned kid");
    }

    /// <summary>A base64url member of a JWK or result.</summary>
    public static byte[] Base64UrlMember(JsonObject json, string member)
    {
        try
        {
            return json[member] is JsonValue value && value.TryGetValue<string>(out var text) ? Base64Url.DecodeFromChars(text)
                : throw PkiException.Internal($"Key Vault answered without '{member}'");
        }
        catch (FormatException e)
        {
            throw PkiException.Internal($"Key Vault answered a '{member}' that is not base64url", e);
        }
    }

    public void Dispose() => http.Dispose();

    // The vault name was checked against Key Vault's grammar, so it cannot change the host or path's shape.
    private Uri VaultUrl(string vault)
    {
        var url = vaultUrlTemplate is null ? $"https://{vault}.{connection.Cloud.VaultDnsSuffix}/" : vaultUrlTemplate.Replace("{vault}", vault, StringComparison.Ordinal);
        return Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps ? parsed
            : throw PkiException.BadRequest($"the vault URL template ({AzureKmsOptions.VaultUrlVariable}) does not make an absolute https URL");
    }

    private async Task<JsonObject> SendAsync(string operation, HttpMethod method, AzureKeyName key, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var vault = VaultUrl(key.Vault);
        string token;
        try
        {
            token = (await connection.Credential.GetTokenAsync(new TokenRequestContext([connection.Cloud.Scope]), cancellationToken).ConfigureAwait(false)).Token;
        }
        catch (CredentialUnavailableException e)
        {
            throw PkiException.Unauthorized($"{operation} failed: no Azure credentials: set client-id, client-secret and tenant-id in kms.uri, or configure a managed identity or the AZURE_* environment variables: {FirstLine(e.Message)}", e);
        }
        catch (AuthenticationFailedException e)
        {
            // MSAL's message carries Entra's AADSTS code and reason, never the secret.
            throw PkiException.Unauthorized($"{operation} failed: {connection.CredentialSource} were refused: {FirstLine(e.InnerException?.Message ?? e.Message)}", e);
        }
        // Key Vault's KeyVaultError: {"error":{"code":"KeyNotFound","message":"..."}}.
        return await RemoteJsonCall.SendAsync(http, method, new Uri(vault, $"{path}?api-version={ApiVersion}"), token, body, operation, "code", cancellationToken).ConfigureAwait(false);
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
