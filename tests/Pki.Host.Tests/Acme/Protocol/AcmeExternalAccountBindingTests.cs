using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Acme;

namespace Smallstep.Pki.Tests.Host.Acme.Protocol;

/// <summary>External account binding (RFC 8555 §7.3.4) with <c>requireEAB</c>: HS256/384/512 bindings to keys stored as step-ca stores them, each key bound once.</summary>
[TestFixture]
public sealed class AcmeExternalAccountBindingTests
{
    private AcmeTestServer _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await AcmeTestServer.StartAsync(json =>
        json["authority"]!["provisioners"]!.AsArray().Add(new JsonObject { ["type"] = "ACME", ["name"] = "eab", ["requireEAB"] = true }));

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private async Task<(string Id, byte[] Key)> CreateKeyAsync()
    {
        var id = Guid.NewGuid().ToString("N");
        var key = RandomNumberGenerator.GetBytes(32);
        await _server.Services.GetRequiredService<IAcmeStore>().CreateExternalAccountKeyAsync(
            new AcmeExternalAccountKey(id, "acme/eab", "ref-" + id, "", key, DateTimeOffset.UtcNow, DateTimeOffset.MinValue));
        return (id, key);
    }

    private static JsonObject Binding(AcmeTestClient client, string keyId, byte[] key, string algorithm, string url)
    {
        var header = AcmeTestClient.B64(Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = algorithm, ["kid"] = keyId, ["url"] = url }.ToJsonString()));
        var payload = AcmeTestClient.B64(Encoding.UTF8.GetBytes(AcmeTestClient.PublicJwk(client.Key).ToJsonString()));
        var hash = algorithm switch { "HS256" => HashAlgorithmName.SHA256, "HS384" => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        var mac = CryptographicOperations.HmacData(hash, key, Encoding.ASCII.GetBytes(header + "." + payload));
        return new JsonObject { ["protected"] = header, ["payload"] = payload, ["signature"] = AcmeTestClient.B64(mac) };
    }

    [TestCase("HS256")]
    [TestCase("HS384")]
    [TestCase("HS512")]
    public async Task A_bound_account_is_created_and_the_key_cannot_bind_another(string algorithm)
    {
        var (id, key) = await CreateKeyAsync();
        using var client = new AcmeTestClient(_server, provisioner: "eab");
        var url = $"{client.Base}/new-account";
        using var created = await client.PostAsync(url, new JsonObject { ["externalAccountBinding"] = Binding(client, id, key, algorithm, url) }, embedKey: true);
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var stored = (await _server.Services.GetRequiredService<IAcmeStore>().GetExternalAccountKeyAsync(id))!.Value;
        stored.IsBound.Should().BeTrue();
        stored.HmacKey.Should().BeEmpty();

        using var second = new AcmeTestClient(_server, provisioner: "eab");
        using var refused = await second.PostAsync(url, new JsonObject { ["externalAccountBinding"] = Binding(second, id, key, algorithm, url) }, embedKey: true);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Without_a_binding_or_with_a_wrong_mac_the_account_is_refused()
    {
        using var client = new AcmeTestClient(_server, provisioner: "eab");
        var url = $"{client.Base}/new-account";
        using var missing = await client.PostAsync(url, new JsonObject(), embedKey: true);
        (await AcmeTestClient.ProblemType(missing)).Should().Be("urn:ietf:params:acme:error:externalAccountRequired");
        var (id, _) = await CreateKeyAsync();
        using var wrong = await client.PostAsync(url, new JsonObject { ["externalAccountBinding"] = Binding(client, id, new byte[32], "HS256", url) }, embedKey: true);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var http = _server.CreateHttpClient();
        (await http.GetStringAsync("/acme/eab/directory")).Should().Contain("\"externalAccountRequired\":true");
    }
}
