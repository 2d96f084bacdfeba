using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Smallstep.Pki.Tests.Http;
using Smallstep.Pki.Provisioners.Acme.Challenges;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary>http-01 (RFC 8555 §8.3) against a real Kestrel responder on 127.0.0.1.</summary>
public class Http01ChallengeValidatorTests
{
    private Http01Responder _responder = null!;

    [OneTimeSetUp]
    public async Task StartResponder() => _responder = await Http01Responder.StartAsync(IPAddress.Loopback);

    [OneTimeTearDown]
    public async Task StopResponder() => await _responder.DisposeAsync();

    [Test]
    public async Task The_key_authorization_with_surrounding_whitespace_is_valid()
    {
        var outcome = await Validate("good-1");

        outcome.Should().Be(AcmeChallengeOutcome.Valid);
        _responder.Hosts["good-1"].Should().Be("127.0.0.1", "RFC 8555 §8.3: the Host header is the identifier");
    }

    [Test]
    public async Task The_validator_from_the_container_uses_the_configured_options()
    {
        var services = new ServiceCollection();
        services.AddAcmeChallengeValidators(o =>
        {
            o.HttpPort = _responder.HttpPort;
            o.AllowLoopback = true;
        });
        await using var provider = services.BuildServiceProvider();
        var validator = provider.GetServices<IAcmeChallengeValidator>().Single(v => v.Type == "http-01");

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt("ip", "127.0.0.1", "good-container"), CancellationToken.None);

        outcome.Should().Be(AcmeChallengeOutcome.Valid);
    }

    [Test]
    public async Task A_wrong_body_makes_the_challenge_invalid()
    {
        var outcome = await Validate("wrong");

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.Invalid);
        outcome.ProblemType.Should().Be("incorrectResponse");
        outcome.Detail.Should().Contain("not-the-key-authorization");
    }

    [TestCase("huge")]
    [TestCase("huge-declared")]
    public async Task A_body_over_the_limit_is_refused(string token)
    {
        var outcome = await Validate(token);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.Invalid);
        outcome.ProblemType.Should().Be("incorrectResponse");
        outcome.Detail.Should().Contain("larger than 65536 bytes");
    }

    [TestCase("slow")]
    [TestCase("never")]
    public async Task A_server_that_does_not_finish_within_the_timeout_leaves_the_challenge_pending(string token)
    {
        var outcome = await Validate(token, o => o.Timeout = TimeSpan.FromMilliseconds(500));

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.ProblemType.Should().Be("connection");
        outcome.Detail.Should().Contain("timed out");
    }

    [TestCase("missing", "unauthorized", "404")]
    [TestCase("failing", "connection", "503")]
    public async Task An_error_status_leaves_the_challenge_pending(string token, string problem, string status)
    {
        var outcome = await Validate(token);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.ProblemType.Should().Be(problem);
        outcome.Detail.Should().Contain(status);
    }

    [Test]
    public async Task The_log_has_the_outcome_but_neither_the_key_authorization_nor_the_whole_token()
    {
        const string token = "wrong-0123456789abcdef";
        var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var validator = new Http01ChallengeValidator(
            Microsoft.Extensions.Options.Options.Create(ChallengeTestKit.LocalOptions(o => o.HttpPort = _responder.HttpPort)),
            TimeProvider.System, factory.CreateLogger<Http01ChallengeValidator>());

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt("ip", "127.0.0.1", token), CancellationToken.None);

        outcome.Detail.Should().Contain(ChallengeTestKit.KeyAuthorization(token), "the client is told what was expected");
        logs.Entries.Select(e => e.EventId.Id).Should().Contain([3900, 3902]);
        logs.Entries.Should().NotContain(e => e.Message.Contains(token, StringComparison.Ordinal));
        logs.Entries.Single(e => e.EventId.Id == 3902).Message.Should().Contain("wrong-01...").And.Contain("[key authorization]");
    }

    [Test]
    public async Task A_closed_port_leaves_the_challenge_pending()
    {
        using var validator = ChallengeTestKit.Http01(ChallengeTestKit.LocalOptions(o => o.HttpPort = ChallengeTestKit.ClosedPort()));

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt("ip", "127.0.0.1", "good-closed"), CancellationToken.None);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.ProblemType.Should().Be("connection");
    }

    [Test]
    public async Task A_redirect_on_the_same_port_is_followed()
    {
        (await Validate("redirect")).Should().Be(AcmeChallengeOutcome.Valid);
    }

    [Test]
    public async Task A_redirect_to_https_is_followed_without_verifying_the_certificate()
    {
        (await Validate("redirect-https", o => o.TlsPort = _responder.HttpsPort)).Should().Be(AcmeChallengeOutcome.Valid);
    }

    [Test]
    public async Task A_redirect_to_a_link_local_metadata_address_is_refused_by_the_policy()
    {
        var outcome = await Validate("redirect-metadata");

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.ProblemType.Should().Be("connection");
        outcome.Detail.Should().Contain("169.254.169.254").And.Contain("link-local");
    }

    [Test]
    public async Task A_redirect_loop_stops_after_the_configured_number_of_redirects()
    {
        var outcome = await Validate("redirect-loop", o => o.MaxRedirects = 3);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.Detail.Should().Contain("more than 3 redirects");
    }

    [TestCase("redirect-other-port", "is not one of")]
    [TestCase("redirect-ftp", "only http and https")]
    public async Task A_redirect_to_another_port_or_scheme_is_not_followed(string token, string reason)
    {
        var outcome = await Validate(token);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.Detail.Should().Contain(reason);
    }

    [Test]
    public async Task Loopback_is_refused_unless_allowed()
    {
        var outcome = await Validate("good-loopback", o => o.AllowLoopback = false);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.ProblemType.Should().Be("connection");
        outcome.Detail.Should().Contain("loopback");
        _responder.Hosts.Should().NotContainKey("good-loopback", "the policy refuses before connecting");
    }

    [Test]
    public async Task A_name_resolving_to_loopback_is_refused_unless_allowed()
    {
        using var validator = ChallengeTestKit.Http01(ChallengeTestKit.LocalOptions(o =>
        {
            o.HttpPort = _responder.HttpPort;
            o.AllowLoopback = false;
        }));

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt("dns", "localhost", "good-localhost"), CancellationToken.None);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.Detail.Should().Contain("loopback");
        _responder.Hosts.Should().NotContainKey("good-localhost");
    }

    [Test]
    public async Task A_dns_identifier_is_fetched_with_its_name_as_host()
    {
        using var validator = ChallengeTestKit.Http01(ChallengeTestKit.LocalOptions(o => o.HttpPort = _responder.HttpPort));

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt("dns", "localhost", "good-name"), CancellationToken.None);

        outcome.Should().Be(AcmeChallengeOutcome.Valid);
        _responder.Hosts["good-name"].Should().Be("localhost");
    }

    [Test]
    public async Task An_IPv6_identifier_is_fetched_in_brackets()
    {
        await using var responder = await Http01Responder.StartAsync(IPAddress.IPv6Loopback);
        using var validator = ChallengeTestKit.Http01(ChallengeTestKit.LocalOptions(o => o.HttpPort = responder.HttpPort));

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt("ip", "::1", "good-v6"), CancellationToken.None);

        outcome.Should().Be(AcmeChallengeOutcome.Valid);
        responder.Hosts["good-v6"].Should().Be("[::1]");
    }

    [TestCase("dns", "evil.example/../x")]
    [TestCase("dns", "127.0.0.1")]
    [TestCase("ip", "localhost")]
    [TestCase("email", "a@example.com")]
    public async Task An_identifier_that_is_not_a_name_or_address_is_invalid(string type, string value)
    {
        using var validator = ChallengeTestKit.Http01(ChallengeTestKit.LocalOptions());

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt(type, value, "good"), CancellationToken.None);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.Invalid);
        outcome.ProblemType.Should().Be("unsupportedIdentifier");
    }

    [Test]
    public async Task Cancellation_by_the_caller_is_thrown_not_reported()
    {
        using var validator = ChallengeTestKit.Http01(ChallengeTestKit.LocalOptions(o => o.HttpPort = _responder.HttpPort));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var act = async () => await validator.ValidateAsync(ChallengeTestKit.Attempt("ip", "127.0.0.1", "never"), cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private async Task<AcmeChallengeOutcome> Validate(string token, Action<AcmeChallengeOptions>? change = null)
    {
        using var validator = ChallengeTestKit.Http01(ChallengeTestKit.LocalOptions(o =>
        {
            o.HttpPort = _responder.HttpPort;
            change?.Invoke(o);
        }));
        return await validator.ValidateAsync(ChallengeTestKit.Attempt("ip", "127.0.0.1", token), CancellationToken.None);
    }
}
