using System.Net;
using Smallstep.Pki.Provisioners.Acme.Challenges;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary>
/// http-01 and tls-alpn-01 for DNS names resolved through <see cref="AcmeChallengeOptions.Resolver"/>
/// (a real bind9): the network policy judges the resolved addresses, and the connection goes to
/// the address it judged.
/// </summary>
public class ResolvedHostTests
{
    private Bind9 _bind = null!;
    private Http01Responder _responder = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _bind = Bind9.Start("""
            www IN A 127.0.0.1
            metadata IN A 169.254.169.254
            internal IN A 10.20.30.40
            mixed IN A 169.254.169.254
            mixed IN A 127.0.0.1
            txt-only IN TXT "no address here"
            """);
        _responder = await Http01Responder.StartAsync(IPAddress.Loopback);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _bind?.Dispose();
        if (_responder is not null)
        {
            await _responder.DisposeAsync();
        }
    }

    [TestCase("www")]
    [TestCase("mixed")]
    public async Task A_name_resolving_to_an_allowed_address_is_fetched_there(string name)
    {
        var host = name + "." + Bind9.Zone;

        var outcome = await Http01(host, "good-" + name);

        outcome.Should().Be(AcmeChallengeOutcome.Valid);
        _responder.Hosts["good-" + name].Should().Be(host);
    }

    [Test]
    public async Task A_name_resolving_to_a_link_local_address_is_refused()
    {
        var outcome = await Http01("metadata." + Bind9.Zone, "good-metadata");

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.ProblemType.Should().Be("connection");
        outcome.Detail.Should().Contain("169.254.169.254").And.Contain("link-local");
    }

    [Test]
    public async Task A_name_resolving_to_a_private_address_is_refused_when_private_networks_are_not_allowed()
    {
        var outcome = await Http01("internal." + Bind9.Zone, "good-internal", o => o.AllowPrivateNetworks = false);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.Detail.Should().Contain("10.20.30.40").And.Contain("private");
    }

    [TestCase("txt-only")]
    [TestCase("nowhere")]
    public async Task A_name_without_an_address_leaves_the_challenge_pending_with_a_dns_problem(string name)
    {
        var outcome = await Http01(name + "." + Bind9.Zone, "good-" + name);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.ProblemType.Should().Be("dns");
    }

    [Test]
    public async Task Tls_alpn_01_connects_to_the_resolved_address_with_the_name_as_sni()
    {
        var host = "www." + Bind9.Zone;
        await using var server = TlsAlpnResponder.Start(AlpnCertificates.For("tls-www", host), "acme-tls/1");
        var validator = ChallengeTestKit.TlsAlpn01(ChallengeTestKit.LocalOptions(o =>
        {
            o.TlsPort = server.Port;
            o.Resolver = _bind.Address;
        }));

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt("dns", host, "tls-www"), CancellationToken.None);

        outcome.Should().Be(AcmeChallengeOutcome.Valid);
        server.LastServerName.Should().Be(host);
    }

    private async Task<AcmeChallengeOutcome> Http01(string host, string token, Action<AcmeChallengeOptions>? change = null)
    {
        using var validator = ChallengeTestKit.Http01(ChallengeTestKit.LocalOptions(o =>
        {
            o.HttpPort = _responder.HttpPort;
            o.Resolver = _bind.Address;
            change?.Invoke(o);
        }));
        return await validator.ValidateAsync(ChallengeTestKit.Attempt("dns", host, token), CancellationToken.None);
    }
}
