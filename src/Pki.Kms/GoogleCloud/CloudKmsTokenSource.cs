using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.GoogleCloud;

/// <summary>
/// OAuth access tokens for Cloud KMS from Google.Apis.Auth: a service account's JSON key file
/// (step's <c>option.WithAuthCredentialsFile(option.ServiceAccount, f)</c>: the library signs a JWT
/// with the account's key and exchanges it at the file's <c>token_uri</c>), or Application Default
/// Credentials otherwise (<c>GOOGLE_APPLICATION_CREDENTIALS</c>, gcloud's file, the metadata
/// server). Tokens are cached and refreshed by the library. Thread-safe.
/// </summary>
internal sealed class CloudKmsTokenSource
{
    /// <summary>The OAuth scope of Cloud KMS.</summary>
    public const string Scope = "https://www.googleapis.com/auth/cloudkms";

    private readonly ITokenAccess _credential;
    private readonly string _source;

    private CloudKmsTokenSource(ITokenAccess credential, string source)
    {
        _credential = credential;
        _source = source;
    }

    /// <summary>Loads the credentials: the service account file when <paramref name="credentialsFile"/> is set, else ADC.</summary>
    /// <param name="credentialsFile">The service account JSON file, or null.</param>
    /// <param name="field">The ca.json field it came from, named in errors.</param>
    /// <param name="httpClientFactory">Makes the HTTP clients of token requests (the trust of the token endpoint).</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <exception cref="PkiException">BadRequest naming <paramref name="field"/> when the file is unreadable or not a service account key.</exception>
    public static async Task<CloudKmsTokenSource> CreateAsync(string? credentialsFile, string field, Google.Apis.Http.IHttpClientFactory httpClientFactory, CancellationToken cancellationToken)
    {
        GoogleCredential credential;
        string source;
        if (!string.IsNullOrEmpty(credentialsFile))
        {
            source = $"the service account in {field}";
            ServiceAccountCredential account;
            try
            {
                account = await CredentialFactory.FromFileAsync<ServiceAccountCredential>(credentialsFile, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw PkiException.BadRequest($"{field}: cannot read the credentials file {credentialsFile}: {e.Message}", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw PkiException.BadRequest($"{field}: cannot read the credentials file {credentialsFile}: {e.Message}", e);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or Newtonsoft.Json.JsonException or System.Security.Cryptography.CryptographicException)
            {
                // The library's messages describe the structure, never the key material.
                throw PkiException.BadRequest($"{field}: {credentialsFile} is not a Google service account key file (type \"service_account\" with client_email, private_key and token_uri)", e);
            }
            credential = GoogleCredential.FromServiceAccountCredential(account);
        }
        else
        {
            source = "Application Default Credentials";
            try
            {
                credential = await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                throw PkiException.Unauthorized($"kms: no credentials for Cloud KMS: set kms.credentialsFile (or credentials-file in kms.uri) or configure Application Default Credentials: {e.Message}", e);
            }
        }
        // Explicit scopes make a service account exchange its signed JWT at token_uri (RFC 7523)
        // instead of sending a self-signed JWT as the access token.
        var scoped = credential.CreateScoped(Scope).CreateWithHttpClientFactory(httpClientFactory);
        return new CloudKmsTokenSource(scoped, source);
    }

    /// <summary>A current access token.</summary>
    /// <exception cref="PkiException">Unauthorized with the token endpoint's reason (never the key or token).</exception>
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _credential.GetAccessTokenForRequestAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (TokenResponseException e)
        {
            var reason = e.Error?.Error ?? "unknown error";
            var description = e.Error?.ErrorDescription;
            throw PkiException.Unauthorized($"cloudKMS: {_source} was refused by its token endpoint: {reason}{(string.IsNullOrEmpty(description) ? "" : $" ({description})")}", e);
        }
        catch (HttpRequestException e)
        {
            throw PkiException.Internal($"cloudKMS: the token endpoint of {_source} is unreachable: {e.Message}", e);
        }
    }
}
