using System.Net;
using System.Security.Cryptography;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.SqlStorage;

namespace Smallstep.Pki.Tests.Host.MultiNode;

/// <summary>
/// Two real host processes on one PostgreSQL database, and two on one MariaDB database, behave as
/// one CA: a one-time token is spent once across both, a revocation on one is honoured by the other
/// at once, and the same token sent to both at the same instant issues exactly one certificate.
/// </summary>
[TestFixture(SqlServerKind.PostgreSql)]
[TestFixture(SqlServerKind.MySql)]
public sealed class TwoNodeTests(SqlServerKind kind)
{
    private DatabaseServer _server = null!;
    private TwoNodes _nodes = null!;

    [OneTimeSetUp]
    public async Task StartTwoNodes()
    {
        _server = DatabaseServer.Require(kind);
        _nodes = await TwoNodes.StartAsync(_server);
    }

    [OneTimeTearDown]
    public async Task StopNodes()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [Test]
    public async Task A_token_used_on_one_node_is_refused_on_the_other()
    {
        using var key = new ClientKey();
        var request = new { csr = key.CsrPem("once.multinode.test"), ott = _nodes.Provisioner.SignToken("once.multinode.test") };

        await (await _nodes.A.Client.PostJsonAsync("/1.0/sign", request)).ShouldBeIssuedAsync();
        var mark = _nodes.B.Host.Output.Mark();
        using var replay = await _nodes.B.Client.PostJsonAsync("/1.0/sign", request);

        await replay.ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        (await _nodes.B.Host.WaitForLineAsync(l => l.Contains("/1.0/sign answered 401", StringComparison.Ordinal), mark)).Should().EndWith("token already used");
    }

    [Test]
    public async Task A_revocation_on_one_node_is_honoured_by_the_other_at_once()
    {
        using var key = new ClientKey();
        using var signed = await _nodes.A.Client.PostJsonAsync("/1.0/sign", new { csr = key.CsrPem("revoked.multinode.test"), ott = _nodes.Provisioner.SignToken("revoked.multinode.test") });
        var issued = await signed.ShouldBeIssuedAsync();
        using var certificate = key.WithKey(issued.CrtPem);
        using var onA = _nodes.A.ClientWith(certificate);
        using var onB = _nodes.B.ClientWith(certificate);
        // B knows the certificate A issued: it renews it.
        using (var renewed = await onB.PostAsync("/1.0/renew", null))
        {
            await renewed.ShouldBeIssuedAsync();
        }

        using (var revoke = await onA.PostJsonAsync("/1.0/revoke", new { serial = issued.SerialDecimal, reasonCode = 1, passive = true }))
        {
            ((int)revoke.StatusCode).Should().Be(200, await revoke.Content.ReadAsStringAsync());
        }

        await (await onB.PostAsync("/1.0/renew", null)).ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        using var again = await _nodes.B.Client.PostJsonAsync("/1.0/revoke",
            new { serial = issued.SerialDecimal, ott = _nodes.Provisioner.RevokeToken(issued.SerialDecimal), reasonCode = 1, passive = true });
        await again.ShouldBeStepErrorAsync(400, StepResponses.BadRequest($"certificate with serial number '{issued.SerialDecimal}' is already revoked"));
    }

    [Test]
    public async Task The_same_token_sent_to_both_nodes_at_once_issues_exactly_one_certificate()
    {
        const int tokens = 50;
        var certificatesBefore = await _server.CountRowsAsync(_nodes.Database, "x509_certs");
        using var key = new ClientKey();
        var requests = Enumerable.Range(0, tokens).Select(i =>
        {
            var jti = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var subject = $"race-{i}.multinode.test";
            var ott = _nodes.Provisioner.Signer().Sign(_nodes.Provisioner.Descriptor(subject) with { TokenId = jti });
            return (Jti: jti, Body: new { csr = key.CsrPem(subject), ott });
        }).ToArray();

        // Every token goes to both nodes at once, and all tokens at once: 100 requests in flight.
        var answers = await Task.WhenAll(requests.SelectMany(r => new[] { _nodes.A, _nodes.B }.Select(async node =>
        {
            using var response = await node.Client.PostJsonAsync("/1.0/sign", r.Body);
            return (r.Jti, Node: node.Name, response.StatusCode);
        })));

        TestContext.Out.WriteLine($"certificates issued by A: {answers.Count(a => a.Node == "A" && a.StatusCode == HttpStatusCode.Created)}, by B: {answers.Count(a => a.Node == "B" && a.StatusCode == HttpStatusCode.Created)}");
        foreach (var perToken in answers.GroupBy(a => a.Jti))
        {
            perToken.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Created, HttpStatusCode.Unauthorized], "token {0} must be spent exactly once", perToken.Key);
            (await _server.HasKeyAsync(_nodes.Database, "used_ott", perToken.Key)).Should().BeTrue();
        }
        (await _server.CountRowsAsync(_nodes.Database, "x509_certs")).Should().Be(certificatesBefore + tokens, "one certificate per token, none for a refused duplicate");
    }
}
