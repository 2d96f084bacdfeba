using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Smallstep.Pki.TestServers.LocalTls;

namespace Smallstep.Pki.TestServers.GoogleCloudKms;

/// <summary>
/// Google's OAuth 2.0 token endpoint for service accounts (RFC 7523 JWT bearer grant, as
/// https://developers.google.com/identity/protocols/oauth2/service-account describes): the
/// assertion must be an RS256 JWT signed by a known account's key, with <c>iss</c> the account,
/// <c>aud</c> Google's token URL, a <c>scope</c> including Cloud KMS and a current <c>iat</c>/<c>exp</c>.
/// Errors are OAuth's <c>{"error","error_description"}</c>.
/// </summary>
internal sealed class GoogleTokenEndpoint(ConcurrentDictionary<string, GoogleServiceAccount> accounts, BearerTokens tokens)
{
    private const string GoogleTokenAudience = "https://oauth2.googleapis.com/token";
    private const string CloudKmsScope = "https://www.googleapis.com/auth/cloudkms";
    private const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    public async Task HandleAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            await ErrorAsync(context, "unsupported_grant_type", "Invalid grant_type").ConfigureAwait(false);
            return;
        }
        var failure = Check(form["assertion"].ToString(), out var account);
        if (failure is not null)
        {
            await ErrorAsync(context, "invalid_grant", failure).ConfigureAwait(false);
            return;
        }
        await context.Response.WriteAsJsonAsync(new { access_token = tokens.Issue(account!.Email), expires_in = 3599, token_type = "Bearer" }).ConfigureAwait(false);
    }

    private string? Check(string assertion, out GoogleServiceAccount? account)
    {
        account = null;
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return "Invalid JWT: not a compact JWS";
        }
        JsonElement header, claims;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
            claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return "Invalid JWT: malformed";
        }
        if (header.TryGetProperty("alg", out var alg) ? alg.GetString() != "RS256" : true)
        {
            return "Invalid JWT: alg must be RS256";
        }
        var issuer = claims.TryGetProperty("iss", out var iss) ? iss.GetString() : null;
        if (issuer is null || !accounts.TryGetValue(issuer, out account))
        {
            return "Invalid JWT Signature.";
        }
        if (!account.Key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            account = null;
            return "Invalid JWT Signature.";
        }
        // Google's endpoints want the assertion addressed to Google's token URL, wherever it is posted.
        if (!claims.TryGetProperty("aud", out var aud) || aud.GetString() != GoogleTokenAudience)
        {
            return "Invalid JWT: aud must be " + GoogleTokenAudience;
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!claims.TryGetProperty("iat", out var iat) || !claims.TryGetProperty("exp", out var exp)
            || iat.GetInt64() > now + 60 || exp.GetInt64() < now || exp.GetInt64() - iat.GetInt64() > 3600)
        {
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";
        }
        var scopes = claims.TryGetProperty("scope", out var scope) ? (scope.GetString() ?? "").Split(' ') : [];
        if (!scopes.Contains(CloudKmsScope) && !scopes.Contains(CloudPlatformScope))
        {
            return "Invalid JWT: no Cloud KMS scope";
        }
        return null;
    }

    private static async Task ErrorAsync(HttpContext context, string error, string description)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsJsonAsync(new { error, error_description = description }).ConfigureAwait(false);
    }
}
