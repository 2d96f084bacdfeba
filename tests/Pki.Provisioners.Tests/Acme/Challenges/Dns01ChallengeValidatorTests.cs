using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Provisioners.Acme.Challenges;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary>dns-01 (RFC 8555 §8.4) against a real bind9 on 127.0.0.1.</summary>
public class Dns01ChallengeValidatorTests
{
    private const string Token = "dns-token";
    private static readonly string Digest = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(ChallengeTestKit.KeyAuthorization(Token))));

    private Bind9 _bind = null!;

    [OneTimeSetUp]
    public void StartBind() => _bind = Bind9.Start($"""
        _acme-challenge.good IN TXT "{Digest}"
        _acme-challenge.split IN TXT "{Digest[..20]}" "{Digest[20..]}"
        _acme-challenge.several IN TXT "an-older-value"
        _acme-challenge.several IN TXT "{Digest}"
        _acme-challenge.wrong IN TXT "not-the-digest"
        _acme-challenge.alias IN CNAME _acme-challenge.good
        """);

    [OneTimeTearDown]
    public void StopBind() => _bind?.Dispose();

    [TestCase("good")]
    [TestCase("several")]
    [TestCase("alias")]
    public async Task A_txt_record_with_the_digest_is_valid(string name)
    {
        (await Validate(name + "." + Bind9.Zone)).Should().Be(AcmeChallengeOutcome.Valid);
    }

    [Test]
    public async Task The_strings_of_one_txt_record_are_concatenated()
    {
        (await Validate("split." + Bind9.Zone)).Should().Be(AcmeChallengeOutcome.Valid);
    }

    [Test]
    public async Task Another_value_leaves_the_challenge_pending()
    {
        var outcome = await Validate("wrong." + Bind9.Zone);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.ProblemType.Should().Be("incorrectResponse");
        outcome.Detail.Should().Contain(Digest);
    }

    [Test]
    public async Task A_missing_name_leaves_the_challenge_pending_with_a_dns_problem()
    {
        var outcome = await Validate("missing." + Bind9.Zone);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.ProblemType.Should().Be("dns");
        outcome.Detail.Should().Contain("NotExistentDomain");
    }

    [Test]
    public async Task A_record_added_after_a_failed_attempt_makes_the_next_attempt_valid()
    {
        var name = "later." + Bind9.Zone;
        (await Validate(name)).Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);

        _bind.Update($"update add _acme-challenge.{name}. 60 TXT \"{Digest}\"");

        (await Validate(name)).Should().Be(AcmeChallengeOutcome.Valid, "dns-01 queries without a cache");
    }

    [Test]
    public async Task A_resolver_that_does_not_answer_leaves_the_challenge_pending()
    {
        var validator = ChallengeTestKit.Dns01(ChallengeTestKit.LocalOptions(o =>
        {
            o.Resolver = "127.0.0.1:" + ChallengeTestKit.ClosedPort();
            o.Timeout = TimeSpan.FromSeconds(1);
        }));

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt("dns", "good." + Bind9.Zone, Token), CancellationToken.None);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
    }

    [Test]
    public async Task An_ip_identifier_is_invalid_for_dns_01()
    {
        var outcome = await Validate("127.0.0.1", "ip");

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.Invalid);
        outcome.ProblemType.Should().Be("unsupportedIdentifier");
    }

    private async Task<AcmeChallengeOutcome> Validate(string value, string type = "dns")
    {
        var validator = ChallengeTestKit.Dns01(ChallengeTestKit.LocalOptions(o => o.Resolver = _bind.Address));
        return await validator.ValidateAsync(ChallengeTestKit.Attempt(type, value, Token), CancellationToken.None);
    }
}
