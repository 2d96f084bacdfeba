using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Smallstep.Pki.TestServers.LocalTls;

namespace Smallstep.Pki.TestServers.AzureKeyVault;

/// <summary>
/// Microsoft Entra ID's v2.0 token endpoint for the client credentials grant
/// (<c>POST /{tenant}/oauth2/v2.0/token</c>, RFC 6749 §4.4 with a client secret): the tenant,
/// client id and secret must match a registered application and the scope must be Key Vault's.
/// Errors are Entra's <c>{"error","error_description","error_codes"}</c> with its AADSTS codes.
/// </summary>
internal sealed class EntraTokenEndpoint(ConcurrentDictionary<string, EntraApplication> applications, BearerTokens tokens)
{
    public const string KeyVaultScope = "https://vault.azure.net/.default";

    public async Task HandleAsync(HttpContext context, string tenant)
    {
        var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
        if (form["grant_type"] != "client_credentials")
        {
            await ErrorAsync(context, 400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type.").ConfigureAwait(false);
            return;
        }
        var clientId = form["client_id"].ToString();
        if (!applications.TryGetValue(clientId, out var application) || application.TenantId != tenant)
        {
            await ErrorAsync(context, 400, "unauthorized_client", 700016, $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{tenant}'.").ConfigureAwait(false);
            return;
        }
        if (form["client_secret"] != application.ClientSecret)
        {
            await ErrorAsync(context, 401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.").ConfigureAwait(false);
            return;
        }
        if (form["scope"] != KeyVaultScope)
        {
            await ErrorAsync(context, 400, "invalid_scope", 1002012, $"AADSTS1002012: The provided value for scope {form["scope"]} is not valid.").ConfigureAwait(false);
            return;
        }
        await context.Response.WriteAsJsonAsync(new { token_type = "Bearer", expires_in = 3599, ext_expires_in = 3599, access_token = tokens.Issue(clientId) }).ConfigureAwait(false);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string error, int code, string description)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new { error, error_description = description, error_codes = new[] { code }, timestamp = DateTime.UtcNow.ToString("u") }).ConfigureAwait(false);
    }
}
