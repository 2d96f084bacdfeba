using System.Security.Cryptography;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Ssh.Stages;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>step-ca's SignSSHOptions rules, the default duration, and ca.json <c>ssh.keys</c> JWKs.</summary>
public sealed class SshSignOptionsTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 30, 500, TimeSpan.Zero);

    [Test]
    public void Empty_members_on_either_side_are_not_compared_and_principals_are_a_case_insensitive_subset()
    {
        var allowed = new SshSignOptions { CertType = "user", Principals = ["Alice", "admin"], ValidBefore = TimeDuration.Parse("1h") };

        allowed.Match(new SshSignOptions());
        allowed.Match(new SshSignOptions { CertType = "user", Principals = ["alice"], KeyId = "anything", ValidBefore = TimeDuration.Parse("1h") });
        FluentActions.Invoking(() => allowed.Match(new SshSignOptions { Principals = ["alice", "root"] }))
            .Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.Forbidden);
        FluentActions.Invoking(() => allowed.Match(new SshSignOptions { CertType = "host" }))
            .Should().Throw<PkiException>().WithMessage("ssh certificate type does not match - got host, want user");
        FluentActions.Invoking(() => allowed.Match(new SshSignOptions { ValidBefore = TimeDuration.Parse("2h") }))
            .Should().Throw<PkiException>().WithMessage("ssh certificate validBefore does not match");
    }

    [TestCase("admin", "certType 'admin' is not valid")]
    [TestCase("", "principals cannot contain empty values")]
    public void Validate_refuses_unknown_types_and_empty_principals(string type, string message) =>
        FluentActions.Invoking(() => new SshSignOptions { CertType = type, Principals = ["ok", ""] }.Validate())
            .Should().Throw<PkiException>().Which.Should().Match<PkiException>(e => e.Kind == PkiErrorKind.BadRequest && e.Message == message);

    [Test]
    public void Zero_durations_count_as_unset() => SshSignOptions.IsZero(TimeDuration.Parse("0s")).Should().BeTrue();

    [Test]
    public void Default_duration_backdates_only_an_unset_start()
    {
        var context = new IssuanceContext(Now, TimeSpan.FromMinutes(1));
        var modifier = new SshDefaultDurationModifier(ClaimSet.Global);

        var unset = modifier.Modify(new SshCertificateDescription { Type = SshCertificateType.Host }, context);
        var start = DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds() + 600);
        var given = modifier.Modify(new SshCertificateDescription { Type = SshCertificateType.User, ValidAfter = start }, context);

        unset.ValidAfter.Should().Be(new DateTimeOffset(2030, 1, 1, 11, 59, 30, TimeSpan.Zero));
        unset.ValidBefore.Should().Be(new DateTimeOffset(2030, 1, 1, 12, 0, 30, TimeSpan.Zero).AddDays(30));
        given.ValidAfter.Should().Be(start);
        given.ValidBefore.Should().Be(start.AddHours(16));
    }

    [Test]
    public void Validity_validator_allows_the_backdate_beyond_the_maximum()
    {
        var context = new IssuanceContext(Now, TimeSpan.FromMinutes(1));
        var validator = new SshValidityValidator(ClaimSet.Global);
        var start = Now.AddMinutes(-1);

        validator.Validate(new SshCertificateDescription { Type = SshCertificateType.User, ValidAfter = start, ValidBefore = start.AddHours(24).AddMinutes(1) }, context);
        FluentActions.Invoking(() => validator.Validate(new SshCertificateDescription { Type = SshCertificateType.User, ValidAfter = start, ValidBefore = start.AddHours(24).AddMinutes(2) }, context))
            .Should().Throw<PkiException>().WithMessage("requested duration of 24h2m0s is greater than maximum accepted duration for selected provisioner of 24h1m0s");
    }

    [Test]
    public void Jwk_keys_of_ssh_keys_become_the_same_ssh_keys()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var q = ec.ExportParameters(false).Q;
        var jwk = JsonDocument.Parse($$"""{"kty":"EC","crv":"P-384","x":"{{Url(q.X!)}}","y":"{{Url(q.Y!)}}"}""").RootElement;

        var key = SshJwkPublicKey.Parse(jwk);

        key.Blob.ToArray().Should().Equal(SshPublicKey.FromSubjectPublicKeyInfo(ec.ExportSubjectPublicKeyInfo()).Blob.ToArray());
        FluentActions.Invoking(() => SshJwkPublicKey.Parse(JsonDocument.Parse("""{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}""").RootElement))
            .Should().Throw<PkiException>().WithMessage("invalid key type, it must be a public key");
    }

    private static string Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
