using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>
/// A requested validity outside the provisioner's bounds (fixture claims: 5 min to 24 h, backdate
/// 1 min) is 403 with step-ca's exact sentence (authority/provisioner/sign_options.go
/// <c>validityValidator.Valid</c>, durations printed with Go's <c>%v</c>), and nothing is stored or burned.
/// </summary>
public class ValidityBoundsTests : ServedPkiTests
{
    [TestCase("48h", "requested duration of 48h1m0s is more than the authorized maximum certificate duration of 24h1m0s")]
    [TestCase("24h2m", "requested duration of 24h3m0s is more than the authorized maximum certificate duration of 24h1m0s")]
    [TestCase("1m", "requested duration of 2m0s is less than the authorized minimum certificate duration of 5m0s")]
    [TestCase("3m59s", "requested duration of 4m59s is less than the authorized minimum certificate duration of 5m0s")]
    public async Task A_duration_outside_the_bounds_is_forbidden_with_step_cas_text(string notAfter, string reason)
    {
        using var key = new ClientKey();
        var certificates = Pki.CountRows("x509_certs");
        var used = Pki.CountRows("used_ott");

        using var response = await Client.PostJsonAsync("/1.0/sign",
            new { csr = key.CsrPem("bounds.host.test"), ott = Pki.Provisioner.SignToken("bounds.host.test"), notAfter });

        await response.ShouldBeStepErrorAsync(403, StepResponses.Forbidden(reason));
        Pki.CountRows("x509_certs").Should().Be(certificates);
        Pki.CountRows("used_ott").Should().Be(used);
    }

    [Test]
    public async Task A_far_future_rfc3339_not_after_is_forbidden()
    {
        using var key = new ClientKey();

        using var response = await Client.PostJsonAsync("/1.0/sign",
            new { csr = key.CsrPem("bounds.host.test"), ott = Pki.Provisioner.SignToken("bounds.host.test"), notAfter = "9999-12-31T23:59:59Z" });

        await response.ShouldBeStepErrorAsync(403);
    }

    [TestCase("999999999h")]
    [TestCase("2562048h")]
    [TestCase("-999999999h")]
    public async Task An_overflowing_duration_is_a_bad_request(string notAfter)
    {
        using var key = new ClientKey();

        using var response = await Client.PostJsonAsync("/1.0/sign",
            new { csr = key.CsrPem("bounds.host.test"), ott = Pki.Provisioner.SignToken("bounds.host.test"), notAfter });

        // Go's time.ParseDuration fails ("invalid duration"), so step-ca's JSON decoding fails: 400.
        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest("error decoding json"));
    }
}
