using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Restart;

/// <summary>
/// The host stopped (<c>DisposeAsync</c>) and started again on the same STEPPATH: used tokens and
/// issued certificates live in the SQLite store, so a replay is still refused and older
/// certificates still renew.
/// </summary>
public class RestartTests
{
    [Test]
    public async Task A_token_used_before_a_restart_stays_used_and_older_certificates_still_renew()
    {
        // step-ca refuses any token minted before it (re)started unless disableIssuedAtCheck is set
        // (tokens.md §1); with it set, only the persisted used_ott row can refuse the replay.
        await using var pki = await ServedPki.StartFixtureCopyAsync(config => config["authority"]!["disableIssuedAtCheck"] = true);
        using var key = new ClientKey();
        var request = new { csr = key.CsrPem("restart.host.test"), ott = pki.Provisioner.SignToken("restart.host.test") };
        string issuedPem;
        using (var client = pki.CreateClient())
        {
            issuedPem = (await (await client.PostJsonAsync("/1.0/sign", request)).ShouldBeIssuedAsync()).CrtPem;
        }

        await pki.StopAsync();
        await pki.StartAsync();

        using var restarted = pki.CreateClient();
        var mark = pki.Log.Mark();
        await (await restarted.PostJsonAsync("/1.0/sign", request)).ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        (await pki.Log.WaitForLineAsync(mark, l => l.Contains("/1.0/sign answered 401", StringComparison.Ordinal)))
            .Should().EndWith("token already used");

        using var certificate = key.WithKey(issuedPem);
        using var mtls = pki.CreateClient(certificate);
        using var renewed = await mtls.PostAsync("/1.0/renew", null);
        (await renewed.ShouldBeIssuedAsync()).Leaf.Subject.Should().Be("CN=restart.host.test");
        pki.CountRows("x509_certs").Should().Be(2);
    }

    [Test]
    public async Task With_step_cas_default_issued_at_check_a_replay_after_restart_is_refused_too()
    {
        await using var pki = await ServedPki.StartFixtureCopyAsync();
        using var key = new ClientKey();
        var request = new { csr = key.CsrPem("restart2.host.test"), ott = pki.Provisioner.SignToken("restart2.host.test") };
        using (var client = pki.CreateClient())
        {
            await (await client.PostJsonAsync("/1.0/sign", request)).ShouldBeIssuedAsync();
        }

        await pki.StopAsync();
        await pki.StartAsync();

        using var restarted = pki.CreateClient();
        var mark = pki.Log.Mark();
        await (await restarted.PostJsonAsync("/1.0/sign", request)).ShouldBeStepErrorAsync(401, StepResponses.Unauthorized);
        // Which check fires depends on whether the restart crossed a second boundary (iat vs start time).
        (await pki.Log.WaitForLineAsync(mark, l => l.Contains("/1.0/sign answered 401", StringComparison.Ordinal)))
            .Should().Match(l => l.EndsWith("token already used", StringComparison.Ordinal)
                || l.EndsWith("token issued before the bootstrap of certificate authority", StringComparison.Ordinal));
        pki.CountRows("x509_certs").Should().Be(1);
    }
}
