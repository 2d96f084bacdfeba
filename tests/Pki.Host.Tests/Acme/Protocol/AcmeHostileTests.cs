using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Smallstep.Pki.Tests.Host.Acme.Protocol;

/// <summary>Hostile and cross-account requests get 4xx problem documents, never a 500 or another account's data.</summary>
[TestFixture]
public sealed class AcmeHostileTests
{
    private AcmeTestServer _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await AcmeTestServer.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static JsonObject Identifiers(string name) => new() { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = name }) };

    private static async Task ExpectProblemAsync(HttpResponseMessage response, int status, string type)
    {
        ((int)response.StatusCode).Should().Be(status, await response.Content.ReadAsStringAsync());
        (await AcmeTestClient.ProblemType(response)).Should().Be("urn:ietf:params:acme:error:" + type);
    }

    [Test]
    public async Task A_replayed_nonce_is_bad_nonce_and_the_error_carries_a_fresh_one()
    {
        using var client = new AcmeTestClient(_server);
        var body = (await client.SignAsync($"{client.Base}/new-account", new JsonObject(), embedKey: true)).ToJsonString();
        using (var first = await client.SendAsync($"{client.Base}/new-account", body))
        {
            first.StatusCode.Should().Be(HttpStatusCode.Created);
        }
        using var replay = await client.SendAsync($"{client.Base}/new-account", body);
        await ExpectProblemAsync(replay, 400, "badNonce");
        replay.Headers.GetValues("Replay-Nonce").Single().Should().NotBeEmpty();
    }

    [TestCase("none")]
    [TestCase("HS256")]
    [TestCase("ES384")]
    public async Task Algorithms_other_than_the_keys_are_bad_signature_algorithm(string algorithm)
    {
        using var client = new AcmeTestClient(_server);
        var signed = await client.SignAsync($"{client.Base}/new-account", new JsonObject(), embedKey: true);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(signed["protected"]!.GetValue<string>()))))!.AsObject();
        header["alg"] = algorithm;
        signed["protected"] = AcmeTestClient.B64(Encoding.UTF8.GetBytes(header.ToJsonString()));
        using var response = await client.SendAsync($"{client.Base}/new-account", signed.ToJsonString());
        await ExpectProblemAsync(response, 400, "badSignatureAlgorithm");
    }

    [Test]
    public async Task A_url_other_than_the_request_url_is_refused()
    {
        using var client = new AcmeTestClient(_server);
        var signed = await client.SignAsync($"{client.Base}/new-order", new JsonObject(), embedKey: true);
        using var response = await client.SendAsync($"{client.Base}/new-account", signed.ToJsonString());
        await ExpectProblemAsync(response, 401, "unauthorized");
    }

    [Test]
    public async Task A_tampered_signature_is_malformed()
    {
        using var client = new AcmeTestClient(_server);
        var signed = await client.SignAsync($"{client.Base}/new-account", new JsonObject { ["contact"] = new JsonArray("mailto:a@example.com") }, embedKey: true);
        signed["payload"] = AcmeTestClient.B64(Encoding.UTF8.GetBytes("{\"contact\":[\"mailto:evil@example.com\"]}"));
        using var response = await client.SendAsync($"{client.Base}/new-account", signed.ToJsonString());
        await ExpectProblemAsync(response, 400, "malformed");
    }

    [TestCase("not json")]
    [TestCase("[]")]
    [TestCase("{\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"AA\",\"header\":{}}")]
    [TestCase("{\"signatures\":[]}")]
    [TestCase("{\"protected\":\"!!\",\"payload\":\"\",\"signature\":\"AA\"}")]
    public async Task Malformed_bodies_are_malformed(string body)
    {
        using var client = new AcmeTestClient(_server);
        using var response = await client.SendAsync($"{client.Base}/new-account", body);
        await ExpectProblemAsync(response, 400, "malformed");
    }

    [Test]
    public async Task A_wrong_content_type_and_a_huge_body_are_refused()
    {
        using var client = new AcmeTestClient(_server);
        var signed = (await client.SignAsync($"{client.Base}/new-account", new JsonObject(), embedKey: true)).ToJsonString();
        using var wrongType = await client.SendAsync($"{client.Base}/new-account", signed, "application/json");
        await ExpectProblemAsync(wrongType, 400, "malformed");
        using var huge = await client.SendAsync($"{client.Base}/new-account", new string('x', 200_000));
        await ExpectProblemAsync(huge, 400, "malformed");
    }

    [Test]
    public async Task Unknown_provisioners_answer_step_ca_not_found_and_unknown_resources_404()
    {
        using var http = _server.CreateHttpClient();
        using var unknown = await http.GetAsync("/acme/nope/directory");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await AcmeTestClient.Json(unknown))["type"]!.GetValue<string>().Should().Be("notFound");
        using var traversal = await http.GetAsync("/acme/..%2F..%2Fadmin/directory");
        traversal.StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var notAcme = await http.GetAsync("/acme/fixture-admin/directory");
        await ExpectProblemAsync(notAcme, 401, "unauthorized");
        using var missing = await http.GetAsync("/acme/acme/nothing-here");
        ((int)missing.StatusCode).Should().Be(404);
    }

    [Test]
    public async Task Too_many_identifiers_are_rejected()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        var identifiers = new JsonArray(Enumerable.Range(0, 101).Select(i => (JsonNode)new JsonObject { ["type"] = "dns", ["value"] = $"h{i}.example.com" }).ToArray());
        using var response = await client.PostAsync($"{client.Base}/new-order", new JsonObject { ["identifiers"] = identifiers });
        await ExpectProblemAsync(response, 400, "rejectedIdentifier");
    }

    [Test]
    public async Task Another_account_can_not_read_finalize_download_or_revoke()
    {
        using var owner = new AcmeTestClient(_server);
        await owner.NewAccountAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (order, chain) = await AcmeFlowTests.IssueAsync(_server, owner, key, "owned.example.com");
        var (pendingUrl, pending) = await owner.NewOrderAsync("owned2.example.com");
        using var thief = new AcmeTestClient(_server);
        var thiefAccount = await thief.NewAccountAsync();

        foreach (var url in new[] { pendingUrl, pending["authorizations"]![0]!.GetValue<string>(), order["certificate"]!.GetValue<string>() })
        {
            using var read = await thief.PostAsync(url, null);
            await ExpectProblemAsync(read, 401, "unauthorized");
        }
        using var finalize = await thief.PostAsync(order["finalize"]!.GetValue<string>(), new JsonObject { ["csr"] = "AA" });
        await ExpectProblemAsync(finalize, 401, "unauthorized");
        using var ownerAccount = await thief.PostAsync(owner.AccountUrl!, null);
        await ExpectProblemAsync(ownerAccount, 401, "unauthorized");
        using var ownerOrders = await thief.PostAsync(owner.AccountUrl! + "/orders", null);
        await ExpectProblemAsync(ownerOrders, 401, "unauthorized");
        using var leaf = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(chain);
        using var revoke = await thief.PostAsync($"{thief.Base}/revoke-cert", new JsonObject { ["certificate"] = AcmeTestClient.B64(leaf.RawData) });
        await ExpectProblemAsync(revoke, 403, "unauthorized");
        thiefAccount["status"]!.GetValue<string>().Should().Be("valid");
    }

    [Test]
    public async Task A_kid_of_another_host_or_provisioner_is_refused()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        client.AccountUrl = client.AccountUrl!.Replace(_server.Host, "evil.example", StringComparison.Ordinal);
        using var response = await client.PostAsync($"{client.Base}/new-order", Identifiers("a.example.com"));
        await ExpectProblemAsync(response, 401, "unauthorized");
    }

    [Test]
    public async Task Finalizing_a_pending_order_is_order_not_ready_and_a_bad_revocation_reason_is_refused()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        var (_, order) = await client.NewOrderAsync("early.example.com");
        using var early = await client.PostAsync(order["finalize"]!.GetValue<string>(), new JsonObject { ["csr"] = "AA" });
        await ExpectProblemAsync(early, 403, "orderNotReady");
        using var reason = await client.PostAsync($"{client.Base}/revoke-cert", new JsonObject { ["certificate"] = "AA", ["reason"] = 7 });
        await ExpectProblemAsync(reason, 400, "badRevocationReason");
    }

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - (text.Length % 4)) % 4);
    }
}
