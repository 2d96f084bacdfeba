using System.Security.Cryptography;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.SshPop;

/// <summary>
/// <c>/ssh/renew</c> and <c>/ssh/rekey</c> through the real SSH authority with SSHPOP tokens
/// (sshpop.go, authority/ssh.go renewSSH/rekeySSH): what is copied, what is refused.
/// </summary>
public sealed class SshPopRenewTests
{
    private SshPopFixture _fixture = null!;

    [SetUp]
    public void Create() => _fixture = new SshPopFixture();

    [TearDown]
    public void Dispose() => _fixture.Dispose();

    [TestCase("p256")]
    [TestCase("p384")]
    [TestCase("p521")]
    [TestCase("rsa")]
    [TestCase("ed25519")]
    public async Task A_host_certificate_is_renewed_with_its_key_id_principals_key_and_duration_restarted_now(string keyKind)
    {
        using var key = SshPopKey.Create(keyKind);
        var old = await _fixture.IssueAsync(key);
        _fixture.Clock.Now += TimeSpan.FromDays(10);

        var renewed = await _fixture.Authority.RenewAsync(new SshReissueRequest(_fixture.PopToken(old, key, "renew")));

        var now = _fixture.Clock.GetUtcNow();
        renewed.Description.Type.Should().Be(SshCertificateType.Host);
        renewed.Description.KeyId.Should().Be(old.Description.KeyId);
        renewed.Description.Principals.Should().Equal(old.Description.Principals);
        renewed.Description.Serial.Should().NotBe(old.Description.Serial);
        renewed.Description.Nonce.ToArray().Should().NotEqual(old.Description.Nonce.ToArray());
        renewed.Description.ValidAfter.Should().Be(DateTimeOffset.FromUnixTimeSeconds((now - TimeSpan.FromMinutes(1)).ToUnixTimeSeconds()));
        (renewed.Description.ValidBefore - renewed.Description.ValidAfter).Should().Be(old.Description.ValidBefore - old.Description.ValidAfter);
        var parsed = PresentedSshCertificate.Parse(renewed.Blob.Span);
        parsed.SubjectKey.Blob.ToArray().Should().Equal(key.PublicKey.Blob.ToArray(), "a renewal keeps the key");
        parsed.IsSignedBy(_fixture.Authority.Roots.HostKeys[0]).Should().BeTrue("the host CA signs the renewal");
        (await _fixture.Store.GetAsync(StepTables.SshCerts, System.Text.Encoding.ASCII.GetBytes(parsed.SerialDecimal))).Should().Equal(renewed.Blob.ToArray());
    }

    [Test]
    public async Task A_rekey_certifies_the_new_key_and_copies_the_rest()
    {
        using var key = SshPopKey.Create();
        using var next = SshPopKey.Create("ed25519");
        var old = await _fixture.IssueAsync(key);

        var rekeyed = await _fixture.Authority.RekeyAsync(new SshReissueRequest(_fixture.PopToken(old, key, "rekey"), next.PublicKey));

        var parsed = PresentedSshCertificate.Parse(rekeyed.Blob.Span);
        parsed.SubjectKey.Blob.ToArray().Should().Equal(next.PublicKey.Blob.ToArray());
        rekeyed.Type.Should().Be("ssh-ed25519-cert-v01@openssh.com");
        rekeyed.Description.KeyId.Should().Be(old.Description.KeyId);
        rekeyed.Description.Principals.Should().Equal(old.Description.Principals);
        (await _fixture.Store.ListAsync(StepTables.SshCerts).CountAsync()).Should().Be(2);
    }

    [Test]
    public async Task A_user_certificate_cannot_be_renewed_or_rekeyed()
    {
        using var key = SshPopKey.Create();
        var user = await _fixture.IssueAsync(key, "user", "alice");

        var renew = () => _fixture.Authority.RenewAsync(new SshReissueRequest(_fixture.PopToken(user, key, "renew"))).AsTask();
        var rekey = () => _fixture.Authority.RekeyAsync(new SshReissueRequest(_fixture.PopToken(user, key, "rekey"), key.PublicKey)).AsTask();

        (await renew.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.BadRequest);
        (await rekey.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("must be a host ssh certificate");
    }

    [Test]
    public async Task A_certificate_of_another_ssh_ca_is_refused()
    {
        using var key = SshPopKey.Create();
        using var foreign = new ForeignSshCa();
        var forged = await SshCertificateSigner.SignAsync(new SshCertificateDescription
        {
            Type = SshCertificateType.Host, KeyId = "web.step.test", Principals = ["web.step.test"],
            ValidAfter = _fixture.Clock.GetUtcNow().AddMinutes(-1), ValidBefore = _fixture.Clock.GetUtcNow().AddDays(1),
        }, key.PublicKey, foreign);

        var renew = () => _fixture.Authority.RenewAsync(new SshReissueRequest(_fixture.PopToken(forged, key, "renew"))).AsTask();

        (await renew.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("could not find valid ca signer");
    }

    [Test]
    public async Task A_host_certificate_signed_by_the_user_ca_key_is_refused()
    {
        using var swapped = new SshPopFixture(swapCaKeys: true);
        using var key = SshPopKey.Create();
        var old = await swapped.IssueAsync(key);

        var renew = () => swapped.Authority.RenewAsync(new SshReissueRequest(swapped.PopToken(old, key, "renew"))).AsTask();

        (await renew.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
    }

    [Test]
    public async Task An_expired_certificate_is_not_rekeyed_and_not_renewed_unless_the_claims_allow_it()
    {
        using var key = SshPopKey.Create();
        var old = await _fixture.IssueAsync(key);
        _fixture.Clock.Now += TimeSpan.FromDays(31);

        var rekey = () => _fixture.Authority.RekeyAsync(new SshReissueRequest(_fixture.PopToken(old, key, "rekey"), key.PublicKey)).AsTask();
        var renew = () => _fixture.Authority.RenewAsync(new SshReissueRequest(_fixture.PopToken(old, key, "renew"))).AsTask();

        (await rekey.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("validBefore is in the past");
        (await renew.Should().ThrowAsync<PkiException>()).Which.Message.Should().Be("certificate has expired");

        using var lenient = new SshPopFixture(editSshPop: e => e["claims"]!["allowRenewalAfterExpiry"] = true);
        var expired = await lenient.IssueAsync(key);
        lenient.Clock.Now += TimeSpan.FromDays(31);
        var renewed = await lenient.Authority.RenewAsync(new SshReissueRequest(lenient.PopToken(expired, key, "renew")));
        renewed.Description.ValidBefore.Should().BeAfter(lenient.Clock.GetUtcNow());
    }

    [Test]
    public async Task Renewal_is_refused_when_the_sshpop_provisioner_disables_renewal()
    {
        using var fixture = new SshPopFixture(editSshPop: e => e["claims"]!["disableRenewal"] = true);
        using var key = SshPopKey.Create();
        var old = await fixture.IssueAsync(key);

        var renew = () => fixture.Authority.RenewAsync(new SshReissueRequest(fixture.PopToken(old, key, "renew"))).AsTask();

        (await renew.Should().ThrowAsync<PkiException>()).Which.Message.Should().Be("renew is disabled for provisioner 'sshpop'");
    }

    [Test]
    public async Task A_token_signed_by_another_key_than_the_certificates_is_refused()
    {
        using var key = SshPopKey.Create();
        using var other = SshPopKey.Create();
        var old = await _fixture.IssueAsync(key);

        var renew = () => _fixture.Authority.RenewAsync(new SshReissueRequest(_fixture.PopToken(old, other, "renew"))).AsTask();

        (await renew.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("signature is not valid");
    }

    [TestCase("none")]
    [TestCase("HS256")]
    [TestCase("ES384")]
    public async Task Algorithm_confusion_is_refused(string algorithm)
    {
        using var key = SshPopKey.Create();
        var old = await _fixture.IssueAsync(key);
        // none: no signature; HS256: an HMAC keyed with the certificate's public key blob; ES384: a P-256 key claiming another curve.
        Func<byte[], byte[]> sign = algorithm switch
        {
            "none" => _ => [],
            "HS256" => input => HMACSHA256.HashData(key.PublicKey.Blob.Span, input),
            _ => key.Sign,
        };

        var renew = () => _fixture.Authority.RenewAsync(new SshReissueRequest(_fixture.PopToken(old, key, "renew", algorithm: algorithm, sign: sign))).AsTask();

        (await renew.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain($"algorithm '{algorithm}' is not allowed");
    }

    [Test]
    public async Task A_replayed_token_is_refused_and_issues_nothing()
    {
        using var key = SshPopKey.Create();
        var old = await _fixture.IssueAsync(key);
        var token = _fixture.PopToken(old, key, "renew");
        await _fixture.Authority.RenewAsync(new SshReissueRequest(token));

        var again = () => _fixture.Authority.RenewAsync(new SshReissueRequest(token)).AsTask();

        (await again.Should().ThrowAsync<PkiException>()).Which.Message.Should().Be("token already used");
        (await _fixture.Store.ListAsync(StepTables.SshCerts).CountAsync()).Should().Be(2, "the first certificate and one renewal");
    }

    [TestCase("iss", "someone-else", "issuer")]
    [TestCase("aud", "https://127.0.0.1/1.0/ssh/rekey#sshpop/sshpop", "invalid audience")]
    [TestCase("sub", "", "subject cannot be empty")]
    public async Task A_token_with_a_wrong_claim_is_refused(string claim, string value, string reason)
    {
        using var key = SshPopKey.Create();
        var old = await _fixture.IssueAsync(key);

        var renew = () => _fixture.Authority.RenewAsync(new SshReissueRequest(_fixture.PopToken(old, key, "renew", editClaims: c => { c[claim] = value; return c; }))).AsTask();

        var refusal = (await renew.Should().ThrowAsync<PkiException>()).Which;
        refusal.Kind.Should().Be(PkiErrorKind.Unauthorized);
        refusal.Message.Should().Contain(reason);
    }

    [Test]
    public async Task An_expired_token_is_refused()
    {
        using var key = SshPopKey.Create();
        var old = await _fixture.IssueAsync(key);
        var token = _fixture.PopToken(old, key, "renew");
        _fixture.Clock.Now += TimeSpan.FromMinutes(7);

        var renew = () => _fixture.Authority.RenewAsync(new SshReissueRequest(token)).AsTask();

        (await renew.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("token is expired");
    }
}
