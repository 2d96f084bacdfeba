using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Tests.Host.Acme.Protocol;

/// <summary>
/// A minimal RFC 8555 client for protocol tests: flattened JWS signed with .NET's own ECDSA/RSA
/// (ES256 or RS256), nonces from every response, <c>kid</c> once it has an account.
/// </summary>
internal sealed class AcmeTestClient : IDisposable
{
    private readonly IReadOnlyList<HttpClient> _nodes;
    private readonly string _host;
    private readonly string _provisioner;
    private int _next;
    private string? _nonce;

    public AcmeTestClient(AcmeTestServer server, string algorithm = "ES256", string provisioner = "acme")
        : this(server.Host, [server.CreateHttpClient()], algorithm, provisioner)
    {
    }

    /// <summary>A client of the CA named <paramref name="host"/> whose requests go to <paramref name="nodes"/> in turn (several nodes behind one name).</summary>
    public AcmeTestClient(string host, IReadOnlyList<HttpClient> nodes, string algorithm = "ES256", string provisioner = "acme")
    {
        _host = host;
        _nodes = nodes;
        _provisioner = provisioner;
        Algorithm = algorithm;
        Key = JsonWebKey.Generate(algorithm);
    }

    public JsonWebKey Key { get; private set; }

    public string Algorithm { get; }

    public string? AccountUrl { get; set; }

    public string Base => $"https://{_host}/acme/{_provisioner}";

    private HttpClient Http => _nodes[Interlocked.Increment(ref _next) % _nodes.Count];

    public static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The key's public JWK as a JSON node.</summary>
    public static JsonNode PublicJwk(JsonWebKey key) => JsonNode.Parse(key.ToPublic().ToJson())!;

    public async Task<string> NonceAsync()
    {
        if (_nonce is { } cached)
        {
            _nonce = null;
            return cached;
        }
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Path($"{Base}/new-nonce")));
        return response.Headers.GetValues("Replay-Nonce").Single();
    }

    /// <summary>Signs <paramref name="payload"/> (null: POST-as-GET) for <paramref name="url"/> with this client's key.</summary>
    public async Task<JsonObject> SignAsync(string url, JsonNode? payload, bool embedKey = false, string? nonce = null) =>
        Sign(Key, Algorithm, url, payload, embedKey || AccountUrl is null ? null : AccountUrl, nonce ?? await NonceAsync());

    public static JsonObject Sign(JsonWebKey key, string algorithm, string url, JsonNode? payload, string? kid, string? nonce)
    {
        var header = new JsonObject { ["alg"] = algorithm };
        if (nonce is not null)
        {
            header["nonce"] = nonce;
        }
        header["url"] = url;
        if (kid is null)
        {
            header["jwk"] = PublicJwk(key);
        }
        else
        {
            header["kid"] = kid;
        }
        var protectedText = B64(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var payloadText = payload is null ? "" : B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var input = Encoding.ASCII.GetBytes(protectedText + "." + payloadText);
        byte[] signature;
        if (key.KeyType == "EC")
        {
            using var ec = key.CreateEcdsa();
            signature = ec.SignData(input, HashAlgorithmName.SHA256);
        }
        else
        {
            using var rsa = key.CreateRsa();
            signature = rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        return new JsonObject { ["protected"] = protectedText, ["payload"] = payloadText, ["signature"] = B64(signature) };
    }

    public async Task<HttpResponseMessage> PostAsync(string url, JsonNode? payload, bool embedKey = false) =>
        await SendAsync(url, (await SignAsync(url, payload, embedKey)).ToJsonString());

    public async Task<HttpResponseMessage> SendAsync(string url, string body, string contentType = "application/jose+json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await Http.PostAsync(Path(url), content);
        if (response.Headers.TryGetValues("Replay-Nonce", out var nonces))
        {
            _nonce = nonces.Single();
        }
        return response;
    }

    public async Task<JsonObject> NewAccountAsync(string contact = "mailto:admin@example.com")
    {
        using var response = await PostAsync($"{Base}/new-account", new JsonObject { ["contact"] = new JsonArray(contact), ["termsOfServiceAgreed"] = true }, embedKey: true);
        ((int)response.StatusCode).Should().Be(201, await response.Content.ReadAsStringAsync());
        AccountUrl = response.Headers.Location!.ToString();
        return await Json(response);
    }

    public async Task<(string Url, JsonObject Order)> NewOrderAsync(params string[] dnsNames)
    {
        var identifiers = new JsonArray(dnsNames.Select(n => (JsonNode)new JsonObject { ["type"] = System.Net.IPAddress.TryParse(n, out _) ? "ip" : "dns", ["value"] = n }).ToArray());
        using var response = await PostAsync($"{Base}/new-order", new JsonObject { ["identifiers"] = identifiers });
        ((int)response.StatusCode).Should().Be(201, await response.Content.ReadAsStringAsync());
        return (response.Headers.Location!.ToString(), await Json(response));
    }

    public void UseKey(JsonWebKey key) => Key = key;

    public static async Task<JsonObject> Json(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<string> ProblemType(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        return (await Json(response))["type"]!.GetValue<string>();
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
    }

    // The server's URLs are https://host/...; this test server listens on plain HTTP at the same host.
    private static string Path(string url) => new Uri(url).PathAndQuery;
}
