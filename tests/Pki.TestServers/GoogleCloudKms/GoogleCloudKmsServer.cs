using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Smallstep.Pki.TestServers.LocalTls;

namespace Smallstep.Pki.TestServers.GoogleCloudKms;

/// <summary>
/// A local server speaking the Cloud KMS REST API v1 (https://cloud.google.com/kms/docs/reference/rest)
/// for what step's cloudkms uses: key rings (get, create), crypto keys (create, ASYMMETRIC_SIGN),
/// key versions (get, <c>publicKey</c>, <c>asymmetricSign</c>) with real keys; plus Google's OAuth
/// token endpoint at <c>/token</c>. Every API call needs a bearer token this server issued to a
/// service account; accounts created without permission get PERMISSION_DENIED as IAM would.
/// Errors are <c>google.rpc.Status</c> JSON. Thread-safe.
/// </summary>
public sealed partial class GoogleCloudKmsServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, GoogleServiceAccount> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _keyRings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CloudKmsKeyVersion> _versions = new(StringComparer.Ordinal);
    private readonly BearerTokens _tokens = new();
    private LocalTlsServer? _server;
    private int _signatures;

    private GoogleCloudKmsServer()
    {
    }

    /// <summary>The API base URL (<c>https://127.0.0.1:PORT/</c>), for <c>PKI_CLOUDKMS_ENDPOINT</c>.</summary>
    public Uri Endpoint => Server.BaseAddress;

    /// <summary>The token endpoint (<c>token_uri</c> of the service account files).</summary>
    public Uri TokenUri => new(Endpoint, "token");

    /// <summary>A PEM file of the root that issued the server's TLS certificate, for <c>PKI_KMS_CA_FILE</c>.</summary>
    public static string RootPemFile => LocalTlsServer.RootPemFile;

    /// <summary>How many tokens the token endpoint issued.</summary>
    public int TokensIssued => _tokens.Issued;

    /// <summary>How many <c>asymmetricSign</c> calls succeeded.</summary>
    public int Signatures => Volatile.Read(ref _signatures);

    /// <summary>How many times a new <c>HSM</c> key version reports <c>PENDING_GENERATION</c> before <c>ENABLED</c>.</summary>
    public int HsmPendingChecks { get; set; } = 2;

    private LocalTlsServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>Starts the server.</summary>
    public static async Task<GoogleCloudKmsServer> StartAsync()
    {
        var server = new GoogleCloudKmsServer();
        server._server = await LocalTlsServer.StartAsync(server.Map).ConfigureAwait(false);
        return server;
    }

    /// <summary>Adds a service account (with Cloud KMS permissions unless <paramref name="permitted"/> is false).</summary>
    public GoogleServiceAccount AddServiceAccount(string name, bool permitted = true)
    {
        var account = new GoogleServiceAccount($"{name}@local-test.iam.gserviceaccount.com", permitted, TokenUri);
        _accounts[account.Email] = account;
        return account;
    }

    /// <summary>Creates a key ring, crypto key and its first version directly (any algorithm, e.g. <c>RSA_SIGN_PSS_2048_SHA256</c>); returns the version's name.</summary>
    public string CreateKeyVersion(string cryptoKeyName, string algorithm)
    {
        var key = CloudKmsKeyVersion.Generate(algorithm) ?? throw new ArgumentException($"unknown algorithm {algorithm}", nameof(algorithm));
        _keyRings.TryAdd(cryptoKeyName[..cryptoKeyName.IndexOf("/cryptoKeys/", StringComparison.Ordinal)], 0);
        var version = new CloudKmsKeyVersion($"{cryptoKeyName}/cryptoKeyVersions/1", algorithm, "SOFTWARE", key, 0);
        if (!_versions.TryAdd(version.Name, version))
        {
            key.Dispose();
            throw new InvalidOperationException($"{version.Name} exists");
        }
        return version.Name;
    }

    /// <summary>The state of a key version (test inspection), or null.</summary>
    public string? KeyVersionState(string name) => _versions.TryGetValue(name, out var version) ? version.State : null;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var account in _accounts.Values)
        {
            account.Dispose();
        }
        foreach (var version in _versions.Values)
        {
            version.Key.Dispose();
        }
    }

    private void Map(WebApplication app)
    {
        var tokenEndpoint = new GoogleTokenEndpoint(_accounts, _tokens);
        app.MapPost("/token", tokenEndpoint.HandleAsync);
        app.Map("/v1/{**path}", HandleApiAsync);
    }

    private async Task HandleApiAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!["/v1/".Length..];
        var subject = _tokens.SubjectOf(context.Request);
        if (subject is null)
        {
            await ErrorAsync(context, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token.").ConfigureAwait(false);
            return;
        }
        var permitted = _accounts.TryGetValue(subject, out var account) && account.Permitted;
        var method = context.Request.Method;
        var (resource, verb) = path.LastIndexOf(':') is var colon and > 0 && !path[colon..].Contains('/') ? (path[..colon], path[(colon + 1)..]) : (path, "");
        if (!permitted)
        {
            await ErrorAsync(context, 403, "PERMISSION_DENIED", $"Permission denied on resource '{resource}' (or it may not exist).").ConfigureAwait(false);
            return;
        }
        JsonObject? body = null;
        if (method == "POST")
        {
            try
            {
                body = await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject;
            }
            catch (JsonException)
            {
            }
            if (body is null)
            {
                await ErrorAsync(context, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.").ConfigureAwait(false);
                return;
            }
        }
        var task = (method, verb) switch
        {
            ("GET", "") when resource.EndsWith("/publicKey", StringComparison.Ordinal) => GetPublicKeyAsync(context, resource[..^"/publicKey".Length]),
            ("GET", "") when VersionName().IsMatch(resource) => GetVersionAsync(context, resource),
            ("GET", "") when KeyRingName().IsMatch(resource) => GetKeyRingAsync(context, resource),
            ("POST", "") when LocationName().IsMatch(resource[..Math.Max(0, resource.Length - "/keyRings".Length)]) && resource.EndsWith("/keyRings", StringComparison.Ordinal)
                => CreateKeyRingAsync(context, resource[..^"/keyRings".Length]),
            ("POST", "") when resource.EndsWith("/cryptoKeys", StringComparison.Ordinal) => CreateCryptoKeyAsync(context, resource[..^"/cryptoKeys".Length], body!),
            ("POST", "asymmetricSign") => SignAsync(context, resource, body!),
            _ => ErrorAsync(context, 404, "NOT_FOUND", $"Method or resource not found: {method} {path}"),
        };
        await task.ConfigureAwait(false);
    }

    private Task GetPublicKeyAsync(HttpContext context, string name)
    {
        if (!_versions.TryGetValue(name, out var version))
        {
            return NotFoundAsync(context, "CryptoKeyVersion", name);
        }
        if (version.State != "ENABLED")
        {
            return ErrorAsync(context, 400, "FAILED_PRECONDITION", $"{name} is not enabled, current state is: {version.State}.");
        }
        return context.Response.WriteAsJsonAsync(new { pem = version.PublicKeyPem(), algorithm = version.Algorithm, name, protectionLevel = version.ProtectionLevel });
    }

    private Task GetVersionAsync(HttpContext context, string name)
    {
        if (!_versions.TryGetValue(name, out var version))
        {
            return NotFoundAsync(context, "CryptoKeyVersion", name);
        }
        var state = version.State;
        version.Checked();
        return context.Response.WriteAsJsonAsync(new { name, state, protectionLevel = version.ProtectionLevel, algorithm = version.Algorithm });
    }

    private Task GetKeyRingAsync(HttpContext context, string name) =>
        _keyRings.ContainsKey(name) ? context.Response.WriteAsJsonAsync(new { name, createTime = "2026-01-01T00:00:00Z" }) : NotFoundAsync(context, "KeyRing", name);

    private Task CreateKeyRingAsync(HttpContext context, string location)
    {
        var id = context.Request.Query["keyRingId"].ToString();
        if (!ResourceId().IsMatch(id))
        {
            return ErrorAsync(context, 400, "INVALID_ARGUMENT", "keyRingId must match [a-zA-Z0-9_-]{1,63}");
        }
        var name = $"{location}/keyRings/{id}";
        return _keyRings.TryAdd(name, 0) ? context.Response.WriteAsJsonAsync(new { name })
            : ErrorAsync(context, 409, "ALREADY_EXISTS", $"KeyRing {name} already exists.");
    }

    private Task CreateCryptoKeyAsync(HttpContext context, string keyRing, JsonObject body)
    {
        if (!_keyRings.ContainsKey(keyRing))
        {
            return NotFoundAsync(context, "KeyRing", keyRing);
        }
        var id = context.Request.Query["cryptoKeyId"].ToString();
        if (!ResourceId().IsMatch(id))
        {
            return ErrorAsync(context, 400, "INVALID_ARGUMENT", "cryptoKeyId must match [a-zA-Z0-9_-]{1,63}");
        }
        if (body["purpose"]?.GetValue<string>() != "ASYMMETRIC_SIGN")
        {
            return ErrorAsync(context, 400, "INVALID_ARGUMENT", "this server creates only ASYMMETRIC_SIGN keys");
        }
        var algorithm = body["versionTemplate"]?["algorithm"]?.GetValue<string>() ?? "";
        var protection = body["versionTemplate"]?["protectionLevel"]?.GetValue<string>() ?? "SOFTWARE";
        if (protection is not ("SOFTWARE" or "HSM"))
        {
            return ErrorAsync(context, 400, "INVALID_ARGUMENT", $"unsupported protection level {protection}");
        }
        var key = CloudKmsKeyVersion.Generate(algorithm);
        if (key is null)
        {
            return ErrorAsync(context, 400, "INVALID_ARGUMENT", $"Algorithm {algorithm} is not valid for purpose ASYMMETRIC_SIGN.");
        }
        var name = $"{keyRing}/cryptoKeys/{id}";
        var version = new CloudKmsKeyVersion($"{name}/cryptoKeyVersions/1", algorithm, protection, key, protection == "HSM" ? HsmPendingChecks : 0);
        if (!_versions.TryAdd(version.Name, version))
        {
            key.Dispose();
            return ErrorAsync(context, 409, "ALREADY_EXISTS", $"CryptoKey {name} already exists.");
        }
        return context.Response.WriteAsJsonAsync(new { name, purpose = "ASYMMETRIC_SIGN", versionTemplate = new { algorithm, protectionLevel = protection } });
    }

    private Task SignAsync(HttpContext context, string name, JsonObject body)
    {
        if (!_versions.TryGetValue(name, out var version))
        {
            return NotFoundAsync(context, "CryptoKeyVersion", name);
        }
        var digest = body["digest"] as JsonObject;
        var field = digest?.FirstOrDefault().Key;
        byte[]? value = null;
        try
        {
            value = field is null ? null : Convert.FromBase64String(digest![field]!.GetValue<string>());
        }
        catch (FormatException)
        {
        }
        var signature = value is null ? null : version.SignDigest(field!, value);
        if (signature is null)
        {
            return ErrorAsync(context, 400, "INVALID_ARGUMENT", $"The request digest does not match the algorithm {version.Algorithm}.");
        }
        Interlocked.Increment(ref _signatures);
        return context.Response.WriteAsJsonAsync(new { signature = Convert.ToBase64String(signature), name });
    }

    private static Task NotFoundAsync(HttpContext context, string kind, string name) => ErrorAsync(context, 404, "NOT_FOUND", $"{kind} {name} not found.");

    // google.rpc.Status as the REST API returns it.
    private static Task ErrorAsync(HttpContext context, int code, string status, string message)
    {
        context.Response.StatusCode = code;
        return context.Response.WriteAsJsonAsync(new { error = new { code, message, status } });
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,63}$")]
    private static partial Regex ResourceId();

    [GeneratedRegex("^projects/[^/]+/locations/[^/]+$")]
    private static partial Regex LocationName();

    [GeneratedRegex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+$")]
    private static partial Regex KeyRingName();

    [GeneratedRegex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+/cryptoKeyVersions/[^/]+$")]
    private static partial Regex VersionName();
}
