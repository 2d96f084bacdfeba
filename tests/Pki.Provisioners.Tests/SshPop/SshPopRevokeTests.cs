using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.SshPop;

/// <summary>
/// <c>/ssh/revoke</c> through the real SSH authority: by SSHPOP and by JWK tokens; a token's subject
/// must be the serial in the request whatever the provisioner (CVE-2025-66406); a revoked host
/// certificate cannot be renewed or rekeyed.
/// </summary>
public sealed class SshPopRevokeTests
{
    private SshPopFixture _fixture = null!;

    [SetUp]
    public void Create() => _fixture = new SshPopFixture();

    [TearDown]
    public void Dispose() => _fixture.Dispose();

    [Test]
    public async Task A_certificate_revoked_with_its_own_sshpop_token_can_no_longer_be_renewed_or_rekeyed()
    {
        using var key = SshPopKey.Create();
        var old = await _fixture.IssueAsync(key);
        var serial = Serial(old);

        await _fixture.Authority.RevokeAsync(new SshRevokeRequest(serial, _fixture.PopToken(old, key, "revoke"), 1, "key compromise", true));

        // step-ca's RevokedCertificateInfo as Go encodes it; SSH rows have no ExpiresAt (Go's zero time).
        var row = System.Text.Encoding.UTF8.GetString((await _fixture.Store.GetAsync(StepTables.RevokedSshCerts, System.Text.Encoding.ASCII.GetBytes(serial)))!);
        row.Should().MatchRegex($$"""^\{"Serial":"{{serial}}","ProvisionerID":"sshpop/sshpop","ReasonCode":1,"Reason":"key compromise","RevokedAt":"2026-11-22T13:31:30Z","ExpiresAt":"0001-01-01T00:00:00Z","TokenID":"[0-9a-f]{64}","MTLS":false,"ACME":false\}$""");
        var renew = () => _fixture.Authority.RenewAsync(new SshReissueRequest(_fixture.PopToken(old, key, "renew"))).AsTask();
        var rekey = () => _fixture.Authority.RekeyAsync(new SshReissueRequest(_fixture.PopToken(old, key, "rekey"), key.PublicKey)).AsTask();
        (await renew.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("has been revoked");
        (await rekey.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);
        (await _fixture.Store.ListAsync(StepTables.SshCerts).CountAsync()).Should().Be(1, "nothing was re-issued");
    }

    [Test]
    public async Task An_sshpop_token_for_another_serial_is_forbidden()
    {
        using var key = SshPopKey.Create();
        var old = await _fixture.IssueAsync(key);

        var revoke = () => _fixture.Authority.RevokeAsync(new SshRevokeRequest("12345", _fixture.PopToken(old, key, "revoke", subject: "12345"), 0, null, true)).AsTask();

        var refusal = (await revoke.Should().ThrowAsync<PkiException>()).Which;
        refusal.Kind.Should().Be(PkiErrorKind.Forbidden);
        refusal.Message.Should().Contain("sshpop certificate serial number");
        (await _fixture.Store.ListAsync(StepTables.RevokedSshCerts).CountAsync()).Should().Be(0);
    }

    [Test]
    public async Task An_sshpop_certificate_revokes_only_itself_even_when_the_body_names_another_serial()
    {
        using var key = SshPopKey.Create();
        var mine = await _fixture.IssueAsync(key);
        using var victimKey = SshPopKey.Create();
        var victim = await _fixture.IssueAsync(victimKey, principal: "victim.step.test");

        var revoke = () => _fixture.Authority.RevokeAsync(new SshRevokeRequest(Serial(victim), _fixture.PopToken(mine, key, "revoke"), 0, null, true)).AsTask();

        (await revoke.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Forbidden);
        (await _fixture.Store.GetAsync(StepTables.RevokedSshCerts, System.Text.Encoding.ASCII.GetBytes(Serial(victim)))).Should().BeNull();
    }

    [Test]
    public async Task A_jwk_token_revokes_the_serial_it_names_and_only_that_one()
    {
        using var key = SshPopKey.Create();
        var old = await _fixture.IssueAsync(key);
        var serial = Serial(old);

        var mismatch = () => _fixture.Authority.RevokeAsync(new SshRevokeRequest(serial, _fixture.JwkRevokeToken("987654321"), 0, null, true)).AsTask();
        (await mismatch.Should().ThrowAsync<PkiException>()).Which.Message.Should().Be($"request serial number \"{serial}\" and token subject \"987654321\" do not match");

        await _fixture.Authority.RevokeAsync(new SshRevokeRequest(serial, _fixture.JwkRevokeToken(serial), 0, null, true));

        var renew = () => _fixture.Authority.RenewAsync(new SshReissueRequest(_fixture.PopToken(old, key, "renew"))).AsTask();
        (await renew.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("has been revoked");
    }

    [Test]
    public async Task A_second_revocation_is_a_bad_request_and_a_replayed_token_is_unauthorized()
    {
        using var key = SshPopKey.Create();
        var old = await _fixture.IssueAsync(key);
        var serial = Serial(old);
        var token = _fixture.JwkRevokeToken(serial);
        await _fixture.Authority.RevokeAsync(new SshRevokeRequest(serial, token, 0, null, true));

        var replay = () => _fixture.Authority.RevokeAsync(new SshRevokeRequest(serial, token, 0, null, true)).AsTask();
        var again = () => _fixture.Authority.RevokeAsync(new SshRevokeRequest(serial, _fixture.JwkRevokeToken(serial), 0, null, true)).AsTask();

        (await replay.Should().ThrowAsync<PkiException>()).Which.Message.Should().Be("token already used");
        var second = (await again.Should().ThrowAsync<PkiException>()).Which;
        second.Kind.Should().Be(PkiErrorKind.BadRequest);
        second.Message.Should().Contain("is already revoked");
    }

    [TestCase("0x10", PkiErrorKind.BadRequest)]
    [TestCase("007", PkiErrorKind.BadRequest)]
    [TestCase("", PkiErrorKind.BadRequest)]
    public async Task A_serial_that_is_not_canonical_decimal_is_refused(string serial, PkiErrorKind kind)
    {
        var revoke = () => _fixture.Authority.RevokeAsync(new SshRevokeRequest(serial, _fixture.JwkRevokeToken(serial), 0, null, true)).AsTask();

        (await revoke.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(kind);
    }

    [Test]
    public async Task Active_revocation_is_not_implemented()
    {
        var revoke = () => _fixture.Authority.RevokeAsync(new SshRevokeRequest("1", _fixture.JwkRevokeToken("1"), 0, null, false)).AsTask();

        (await revoke.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.NotImplemented);
    }

    private static string Serial(global::Smallstep.Pki.Ssh.SshCertificate certificate) => certificate.Description.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
