using System.Text.Json.Nodes;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Host.Acme.Protocol;

/// <summary>
/// An ACME provisioner's <c>rateLimits</c> (ours; off by default): refusals are <c>rateLimited</c>
/// problems (429) with <c>Retry-After</c> (RFC 8555 §6.6), and a refused request creates nothing.
/// </summary>
[TestFixture]
public sealed class AcmeRateLimitTests
{
    private const string RateLimited = "urn:ietf:params:acme:error:rateLimited";
    private AcmeTestServer _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await AcmeTestServer.StartAsync(json =>
    {
        var provisioners = json["authority"]!["provisioners"]!.AsArray();
        provisioners.Add(Limited("accounts", new JsonObject { ["newAccountsPerAddress"] = new JsonObject { ["limit"] = 2, ["window"] = "1h" } }));
        provisioners.Add(Limited("orders", new JsonObject { ["newOrdersPerAccount"] = new JsonObject { ["limit"] = 2, ["window"] = "1h" } }));
        provisioners.Add(Limited("pending", new JsonObject { ["maxPendingAuthorizationsPerAccount"] = 3 }));
    });

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task New_accounts_from_one_address_beyond_the_limit_are_refused_with_retry_after()
    {
        for (var i = 0; i < 2; i++)
        {
            using var allowed = new AcmeTestClient(_server, provisioner: "accounts");
            await allowed.NewAccountAsync();
        }
        using var third = new AcmeTestClient(_server, provisioner: "accounts");

        using var response = await third.PostAsync($"{third.Base}/new-account", new JsonObject { ["termsOfServiceAgreed"] = true }, embedKey: true);

        ((int)response.StatusCode).Should().Be(429);
        (await AcmeTestClient.ProblemType(response)).Should().Be(RateLimited);
        response.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);
        using var again = await third.PostAsync($"{third.Base}/new-account", new JsonObject { ["onlyReturnExisting"] = true }, embedKey: true);
        (await AcmeTestClient.ProblemType(again)).Should().EndWith("accountDoesNotExist", "the refused account was not created");
    }

    [Test]
    public async Task New_orders_of_one_account_beyond_the_limit_are_refused_while_another_account_may_order()
    {
        using var client = new AcmeTestClient(_server, provisioner: "orders");
        await client.NewAccountAsync();
        await client.NewOrderAsync("a.example.com");
        await client.NewOrderAsync("b.example.com");

        using var response = await client.PostAsync($"{client.Base}/new-order", Identifiers("c.example.com"));

        ((int)response.StatusCode).Should().Be(429);
        (await AcmeTestClient.ProblemType(response)).Should().Be(RateLimited);
        using var other = new AcmeTestClient(_server, provisioner: "orders");
        await other.NewAccountAsync();
        await other.NewOrderAsync("c.example.com");
    }

    [Test]
    public async Task An_order_that_would_exceed_the_pending_authorizations_is_refused()
    {
        using var client = new AcmeTestClient(_server, provisioner: "pending");
        await client.NewAccountAsync();
        await client.NewOrderAsync("a.example.com", "b.example.com");

        using var response = await client.PostAsync($"{client.Base}/new-order", Identifiers("c.example.com", "d.example.com"));

        ((int)response.StatusCode).Should().Be(429);
        (await AcmeTestClient.ProblemType(response)).Should().Be(RateLimited);
        await client.NewOrderAsync("c.example.com");
    }

    [TestCase("{\"newOrdersPerAccount\":{\"limit\":0,\"window\":\"1h\"}}", "rateLimits.newOrdersPerAccount")]
    [TestCase("{\"newAccountsPerAddress\":{\"limit\":5,\"window\":\"soon\"}}", "rateLimits.newAccountsPerAddress.window")]
    [TestCase("{\"ordersPerDay\":5}", "rateLimits.ordersPerDay")]
    public void A_malformed_limit_stops_start_up_naming_the_field(string block, string field)
    {
        var start = () => AcmeTestServer.StartAsync(json =>
            json["authority"]!["provisioners"]!.AsArray().Add(new JsonObject { ["type"] = "ACME", ["name"] = "bad", ["rateLimits"] = JsonNode.Parse(block) }));

        start.Should().ThrowAsync<CaConfigException>().Result.Which.Message.Should().Contain(field);
    }

    private static JsonObject Limited(string name, JsonObject limits) => new() { ["type"] = "ACME", ["name"] = name, ["rateLimits"] = limits };

    private static JsonObject Identifiers(params string[] names) =>
        new() { ["identifiers"] = new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["type"] = "dns", ["value"] = n }).ToArray()) };
}
