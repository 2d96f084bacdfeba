using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Smallstep.Pki.TestServers.AwsKms;

/// <summary>
/// Checks an AWS Signature Version 4 <c>Authorization</c> header as AWS does
/// (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): rebuilds the canonical
/// request from what arrived (method, path, query, the signed headers, the body's SHA-256), the
/// string to sign over the credential scope, derives the signing key from the secret and compares
/// HMACs in constant time. Written independently of the SDK, so an SDK that signs wrongly fails.
/// </summary>
internal sealed class SigV4Verifier(IReadOnlyDictionary<string, string> secrets, string region, string service, TimeProvider time)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>AWS's tolerance between the request time and its clock.</summary>
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <summary>Null when the request is signed correctly, else AWS's error type and message.</summary>
    public (string Type, string Message)? Verify(HttpRequest request, byte[] body)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return ("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        var parts = authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders) || !parts.TryGetValue("Signature", out var signature))
        {
            return ("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return ("IncompleteSignatureException", "Credential should be scoped to a valid region.");
        }
        if (!secrets.TryGetValue(scope[0], out var secret))
        {
            return ("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (scope[2] != region || scope[3] != service)
        {
            return ("InvalidSignatureException", $"Credential should be scoped to a valid region and service ({region}/{service}).");
        }
        var amzDate = request.Headers["x-amz-date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || amzDate[..8] != scope[1])
        {
            return ("IncompleteSignatureException", "X-Amz-Date is missing or does not match the credential scope date.");
        }
        if ((time.GetUtcNow() - signedAt).Duration() > MaxSkew)
        {
            return ("InvalidSignatureException", "Signature expired: the request time is too far from the server time.");
        }
        var headerNames = signedHeaders.Split(';');
        if (!headerNames.Contains("host") || !headerNames.Contains("x-amz-date"))
        {
            return ("InvalidSignatureException", "The request signature must cover the host and x-amz-date headers.");
        }
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var declaredHash = request.Headers["x-amz-content-sha256"].ToString();
        if (declaredHash.Length > 0 && declaredHash != payloadHash)
        {
            return ("InvalidSignatureException", "The provided x-amz-content-sha256 header does not match what was computed.");
        }
        var canonical = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(request.Path.HasValue ? request.Path.Value : "/").Append('\n')
            .Append(CanonicalQuery(request.QueryString.Value)).Append('\n');
        foreach (var name in headerNames)
        {
            canonical.Append(name).Append(':').Append(CanonicalValue(request.Headers[name].ToString())).Append('\n');
        }
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        var stringToSign = $"{Algorithm}\n{amzDate}\n{string.Join('/', scope[1..])}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var step in new[] { scope[1], scope[2], scope[3], "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(step));
        }
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    /// <summary>Header values: trimmed, inner runs of spaces collapsed to one.</summary>
    private static string CanonicalValue(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Query parameters sorted by name then value, as they arrived (the SDK already URI-encodes them).</summary>
    private static string CanonicalQuery(string? query) =>
        string.IsNullOrEmpty(query) || query == "?"
            ? string.Empty
            : string.Join('&', query.TrimStart('?').Split('&').Select(p => p.Contains('=') ? p : p + "=").Order(StringComparer.Ordinal));
}
