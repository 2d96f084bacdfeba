using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Provisioners.Acme.Challenges;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary>tls-alpn-01 (RFC 8737, RFC 8738 §6) against a real TLS server on 127.0.0.1.</summary>
public class TlsAlpn01ChallengeValidatorTests
{
    private const string Token = "tls-token";

    [Test]
    public async Task The_right_certificate_over_acme_tls_1_is_valid_and_the_sni_is_the_name()
    {
        await using var server = TlsAlpnResponder.Start(AlpnCertificates.For(Token, "localhost"), "acme-tls/1");

        var outcome = await Validate(server, "dns", "localhost");

        outcome.Should().Be(AcmeChallengeOutcome.Valid);
        server.LastServerName.Should().Be("localhost");
    }

    [Test]
    public async Task The_dns_name_is_compared_case_insensitively()
    {
        await using var server = TlsAlpnResponder.Start(AlpnCertificates.For(Token, "LocalHost"), "acme-tls/1");

        (await Validate(server, "dns", "localhost")).Should().Be(AcmeChallengeOutcome.Valid);
    }

    [Test]
    public async Task An_ip_identifier_sends_the_reverse_name_and_needs_an_ip_address_san()
    {
        await using var server = TlsAlpnResponder.Start(AlpnCertificates.For(Token, "127.0.0.1"), "acme-tls/1");

        var outcome = await Validate(server, "ip", "127.0.0.1");

        outcome.Should().Be(AcmeChallengeOutcome.Valid);
        server.LastServerName.Should().Be("1.0.0.127.in-addr.arpa", "RFC 8738 §6");
    }

    [Test]
    public async Task An_ip_identifier_is_not_satisfied_by_a_dns_name_san()
    {
        await using var server = TlsAlpnResponder.Start(AlpnCertificates.For(Token, "1.0.0.127.in-addr.arpa"), "acme-tls/1");

        ShouldBeIncorrect(await Validate(server, "ip", "127.0.0.1"), "exactly one subjectAltName");
    }

    [TestCase("localhost,other.example")]
    [TestCase("localhost,127.0.0.1")]
    [TestCase("localhost,email:admin@localhost")]
    [TestCase("other.example")]
    [TestCase("")]
    public async Task Anything_but_exactly_the_one_name_is_invalid(string names)
    {
        var certificate = AlpnCertificates.Create(names.Split(',', StringSplitOptions.RemoveEmptyEntries), [new X509Extension(AlpnCertificates.AcmeIdentifierOid, AlpnCertificates.Digest(Token), critical: true)]);
        await using var server = TlsAlpnResponder.Start(certificate, "acme-tls/1");

        ShouldBeIncorrect(await Validate(server, "dns", "localhost"), "exactly one subjectAltName");
    }

    [Test]
    public async Task A_non_critical_acme_identifier_extension_is_invalid()
    {
        var certificate = AlpnCertificates.Create(["localhost"], [new X509Extension(AlpnCertificates.AcmeIdentifierOid, AlpnCertificates.Digest(Token), critical: false)]);
        await using var server = TlsAlpnResponder.Start(certificate, "acme-tls/1");

        ShouldBeIncorrect(await Validate(server, "dns", "localhost"), "must be critical");
    }

    [Test]
    public async Task The_digest_of_another_key_authorization_is_invalid()
    {
        await using var server = TlsAlpnResponder.Start(AlpnCertificates.For("another-token", "localhost"), "acme-tls/1");

        ShouldBeIncorrect(await Validate(server, "dns", "localhost"), "not SHA-256 of the key authorization");
    }

    [Test]
    public async Task A_digest_not_encoded_as_a_32_byte_octet_string_is_invalid()
    {
        // The bare digest, without the OCTET STRING wrapping RFC 8737 §3 requires.
        var bare = AlpnCertificates.Digest(Token)[2..];
        var certificate = AlpnCertificates.Create(["localhost"], [new X509Extension(AlpnCertificates.AcmeIdentifierOid, bare, critical: true)]);
        await using var server = TlsAlpnResponder.Start(certificate, "acme-tls/1");

        ShouldBeIncorrect(await Validate(server, "dns", "localhost"), "OCTET STRING of 32 bytes");
    }

    [Test]
    public async Task A_missing_acme_identifier_extension_is_invalid()
    {
        await using var server = TlsAlpnResponder.Start(AlpnCertificates.Create(["localhost"], []), "acme-tls/1");

        ShouldBeIncorrect(await Validate(server, "dns", "localhost"), "exactly one 1.3.6.1.5.5.7.1.31");
    }

    [Test]
    public async Task The_obsolete_draft_extension_is_refused()
    {
        var certificate = AlpnCertificates.Create(["localhost"], [new X509Extension("1.3.6.1.5.5.7.1.30.1", AlpnCertificates.Digest(Token), critical: true)]);
        await using var server = TlsAlpnResponder.Start(certificate, "acme-tls/1");

        ShouldBeIncorrect(await Validate(server, "dns", "localhost"), "obsolete");
    }

    [Test]
    public async Task A_server_without_alpn_is_invalid()
    {
        await using var server = TlsAlpnResponder.Start(AlpnCertificates.For(Token, "localhost"));

        var outcome = await Validate(server, "dns", "localhost");

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.Invalid);
        outcome.ProblemType.Should().Be("tls");
        outcome.Detail.Should().Contain("acme-tls/1");
    }

    [Test]
    public async Task A_server_refusing_acme_tls_1_is_invalid()
    {
        await using var server = TlsAlpnResponder.Start(AlpnCertificates.For(Token, "localhost"), "h2");

        var outcome = await Validate(server, "dns", "localhost");

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.Invalid);
        outcome.ProblemType.Should().Be("tls");
    }

    [Test]
    public async Task A_closed_port_leaves_the_challenge_pending()
    {
        var validator = ChallengeTestKit.TlsAlpn01(ChallengeTestKit.LocalOptions(o => o.TlsPort = ChallengeTestKit.ClosedPort()));

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt("ip", "127.0.0.1", Token), CancellationToken.None);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.ProblemType.Should().Be("connection");
    }

    [Test]
    public async Task Loopback_is_refused_unless_allowed()
    {
        await using var server = TlsAlpnResponder.Start(AlpnCertificates.For(Token, "127.0.0.1"), "acme-tls/1");
        var validator = ChallengeTestKit.TlsAlpn01(ChallengeTestKit.LocalOptions(o =>
        {
            o.TlsPort = server.Port;
            o.AllowLoopback = false;
        }));

        var outcome = await validator.ValidateAsync(ChallengeTestKit.Attempt("ip", "127.0.0.1", Token), CancellationToken.None);

        outcome.Verdict.Should().Be(AcmeChallengeVerdict.RetryLater);
        outcome.Detail.Should().Contain("loopback");
        server.LastServerName.Should().BeNull("no handshake happened");
    }

    private static async Task<AcmeChallengeOutcome> Validate(TlsAlpnResponder server, string type, string value)
    {
        var validator = ChallengeTestKit.TlsAlpn01(ChallengeTestKit.LocalOptions(o => o.TlsPort = server.Port));
        return await validator.ValidateAsync(ChallengeTestKit.Attempt(type, value, Token), CancellationToken.None);
    }

    private static void ShouldBeIncorrect(AcmeChallengeOutcome outcome, string detail)
    {
        outcome.Verdict.Should().Be(AcmeChallengeVerdict.Invalid);
        outcome.ProblemType.Should().Be("incorrectResponse");
        outcome.Detail.Should().Contain(detail);
    }
}
