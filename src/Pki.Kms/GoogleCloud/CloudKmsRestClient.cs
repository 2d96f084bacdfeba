using System.Text.Json.Nodes;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Remote;

namespace Smallstep.Pki.Kms.GoogleCloud;

/// <summary>
/// The Cloud KMS REST API v1 calls step's <c>kms/cloudkms</c> makes through the gRPC client
/// (https://cloud.google.com/kms/docs/reference/rest): JSON over HTTPS with an OAuth bearer token.
/// Resource names passed in are already validated (<see cref="CloudKmsResourceName"/>). Errors
/// become <see cref="PkiException"/>s carrying the service's <c>error.message</c>. Thread-safe.
/// </summary>
internal sealed class CloudKmsRestClient(HttpClient http, Uri endpoint, CloudKmsTokenSource tokens) : IDisposable
{
    /// <summary><c>GET v1/{name}/publicKey</c>: the PEM and algorithm of a key version.</summary>
    public async Task<(string Pem, string Algorithm)> GetPublicKeyAsync(string version, CancellationToken cancellationToken)
    {
        var response = await SendAsync("cloudKMS GetPublicKey", HttpMethod.Get, $"v1/{version}/publicKey", null, cancellationToken).ConfigureAwait(false);
        return (Text(response, "pem"), Text(response, "algorithm"));
    }

    /// <summary><c>GET v1/{name}</c> of a key version: its <c>state</c> (<c>PENDING_GENERATION</c>, <c>ENABLED</c>, ...).</summary>
    public async Task<string> GetKeyVersionStateAsync(string version, CancellationToken cancellationToken)
    {
        var response = await SendAsync("cloudKMS GetCryptoKeyVersion", HttpMethod.Get, $"v1/{version}", null, cancellationToken).ConfigureAwait(false);
        return Text(response, "state");
    }

    /// <summary><c>POST v1/{name}:asymmetricSign</c> with a digest (field <c>sha256</c>, <c>sha384</c> or <c>sha512</c>).</summary>
    public async Task<byte[]> AsymmetricSignAsync(string version, string digestField, byte[] digest, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["digest"] = new JsonObject { [digestField] = Convert.ToBase64String(digest) } };
        var response = await SendAsync("cloudKMS AsymmetricSign", HttpMethod.Post, $"v1/{version}:asymmetricSign", body, cancellationToken).ConfigureAwait(false);
        return Base64(response, "signature");
    }

    /// <summary><c>GET v1/{keyRing}</c>: true when the key ring exists, false on 404.</summary>
    public async Task<bool> KeyRingExistsAsync(string keyRing, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync("cloudKMS GetKeyRing", HttpMethod.Get, $"v1/{keyRing}", null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PkiException e) when (e.Kind == PkiErrorKind.NotFound)
        {
            return false;
        }
    }

    /// <summary><c>POST v1/{location}/keyRings?keyRingId=</c>; an existing ring (409) is fine, as in step's <c>createKeyRingIfNeeded</c>.</summary>
    public async Task CreateKeyRingAsync(string location, string keyRingId, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync("cloudKMS CreateKeyRing", HttpMethod.Post, $"v1/{location}/keyRings?keyRingId={keyRingId}", new JsonObject(), cancellationToken).ConfigureAwait(false);
        }
        catch (PkiException e) when (e.Kind == PkiErrorKind.Conflict)
        {
        }
    }

    /// <summary><c>POST v1/{keyRing}/cryptoKeys?cryptoKeyId=</c> for an <c>ASYMMETRIC_SIGN</c> key; returns the crypto key's name.</summary>
    public async Task<string> CreateCryptoKeyAsync(string keyRing, string keyId, string algorithm, string protectionLevel, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["purpose"] = "ASYMMETRIC_SIGN",
            ["versionTemplate"] = new JsonObject { ["protectionLevel"] = protectionLevel, ["algorithm"] = algorithm },
        };
        var response = await SendAsync("cloudKMS CreateCryptoKey", HttpMethod.Post, $"v1/{keyRing}/cryptoKeys?cryptoKeyId={keyId}", body, cancellationToken).ConfigureAwait(false);
        return Text(response, "name");
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonObject> SendAsync(string operation, HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        // google.rpc.Status in JSON: {"error":{"code":404,"message":"...","status":"NOT_FOUND"}}.
        return await RemoteJsonCall.SendAsync(http, method, new Uri(endpoint, path), token, body, operation, "status", cancellationToken).ConfigureAwait(false);
    }

    private static string Text(JsonObject json, string member) =>
        json[member] is JsonValue value && value.TryGetValue<string>(out var text) ? text
            : throw PkiException.Internal($"Cloud KMS answered without '{member}'");

    private static byte[] Base64(JsonObject json, string member)
    {
        try
        {
            return Convert.FromBase64String(Text(json, member));
        }
        catch (FormatException e)
        {
            throw PkiException.Internal($"Cloud KMS answered a '{member}' that is not base64", e);
        }
    }
}
