using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Acme.Protocol;
using Smallstep.Pki.Tests.Host.SqlStorage;

namespace Smallstep.Pki.Tests.Host.MultiNode;

/// <summary>
/// Two host processes of one CA on one SQL database, both reached under one name (as behind a load
/// balancer): ACME clients whose requests alternate between the nodes create orders at once, and
/// every order is in its account's index; a nonce issued by one node is accepted once, by either.
/// </summary>
[TestFixture(SqlServerKind.PostgreSql)]
[TestFixture(SqlServerKind.MySql)]
public sealed class AcmeTwoNodeTests(SqlServerKind kind)
{
    // A name in the CA's TLS certificate (WrittenPki: init --dns localhost), so both nodes present a valid certificate for it.
    private const string CaName = "localhost";
    private TwoNodes _nodes = null!;

    [OneTimeSetUp]
    public async Task Start() => _nodes = await TwoNodes.StartAsync(DatabaseServer.Require(kind),
        config => config["authority"]!["provisioners"]!.AsArray().Add(new JsonObject { ["type"] = "ACME", ["name"] = "acme" }));

    [OneTimeTearDown]
    public async Task Stop() => await _nodes.DisposeAsync();

    private AcmeTestClient NewClient() => new(CaName, [_nodes.A.ClientAs(CaName), _nodes.B.ClientAs(CaName)]);

    [Test]
    public async Task Orders_created_at_once_through_both_nodes_are_all_in_the_account_index()
    {
        var clients = Enumerable.Range(0, 4).Select(_ => NewClient()).ToArray();
        try
        {
            foreach (var client in clients)
            {
                await client.NewAccountAsync();
            }

            var created = await Task.WhenAll(clients.SelectMany((client, c) => Enumerable.Range(0, 6).Select(async o =>
                (Client: client, Url: (await client.NewOrderAsync($"n{o}.c{c}.example.com")).Url))));

            foreach (var client in clients)
            {
                using var list = await client.PostAsync(client.AccountUrl + "/orders", null);
                ((int)list.StatusCode).Should().Be(200, await list.Content.ReadAsStringAsync());
                var listed = (await AcmeTestClient.Json(list))["orders"]!.AsArray().Select(n => (string)n!).ToList();
                listed.Should().BeEquivalentTo(created.Where(o => o.Client == client).Select(o => o.Url), "no concurrent order may be lost from the index");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Test]
    public async Task A_nonce_from_one_node_is_accepted_once_by_the_other_and_then_by_neither()
    {
        using var client = NewClient();
        await client.NewAccountAsync();
        using var viaA = new AcmeTestClient(CaName, [_nodes.A.ClientAs(CaName)]);
        using var toB = new AcmeTestClient(CaName, [_nodes.B.ClientAs(CaName)]);
        using var toA = new AcmeTestClient(CaName, [_nodes.A.ClientAs(CaName)]);
        var url = client.AccountUrl!;
        var body = (await client.SignAsync(url, null, nonce: await viaA.NonceAsync())).ToJsonString();

        using var first = await toB.SendAsync(url, body);
        ((int)first.StatusCode).Should().Be(200, "node B accepts a nonce node A issued: " + await first.Content.ReadAsStringAsync());
        using var againOnA = await toA.SendAsync(url, body);
        using var againOnB = await toB.SendAsync(url, body);

        (await AcmeTestClient.ProblemType(againOnA)).Should().Be("urn:ietf:params:acme:error:badNonce");
        (await AcmeTestClient.ProblemType(againOnB)).Should().Be("urn:ietf:params:acme:error:badNonce");
    }

    [Test]
    public async Task One_nonce_sent_to_both_nodes_at_once_is_accepted_exactly_once()
    {
        using var client = NewClient();
        await client.NewAccountAsync();
        var url = client.AccountUrl!;
        var body = (await client.SignAsync(url, null)).ToJsonString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SendAsync(url, body)));

        responses.Count(r => (int)r.StatusCode == 200).Should().Be(1);
        foreach (var refused in responses.Where(r => (int)r.StatusCode != 200))
        {
            (await AcmeTestClient.ProblemType(refused)).Should().Be("urn:ietf:params:acme:error:badNonce");
        }
    }
}
