using System.Text;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>
/// Slow clients and clients that leave mid-request, over raw TLS sockets to the real host: a
/// slowloris that never finishes its headers or trickles its body is cut off by the host's Kestrel
/// limits (408 or a closed connection), a client that disconnects mid-body is logged (499, never a
/// 5xx), and nothing is written. No sleeps: each wait is a socket read with a timeout.
/// </summary>
public class TransportAbuseTests : ServedPkiTests
{
    [Test]
    public async Task Headers_that_never_end_are_cut_off()
    {
        var (tcp, tls) = await RawHttps.ConnectAsync(Pki.BaseAddress, Pki.Root, readTimeout: TimeSpan.FromSeconds(30));
        using var _ = tcp;
        await using var __ = tls;
        var started = DateTimeOffset.UtcNow;

        await tls.WriteAsync("POST /1.0/sign HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "u8.ToArray());
        var response = RawHttps.ReadResponse(tls);

        (response.Closed || response.Status == 408).Should().BeTrue("response: {0}", response);
        (DateTimeOffset.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(25), "the header timeout is 10 s");
    }

    [Test]
    public async Task A_body_trickling_below_the_minimum_rate_is_cut_off()
    {
        var certificates = Pki.CountRows("x509_certs");
        var mark = Pki.Log.Mark();
        var (tcp, tls) = await RawHttps.ConnectAsync(Pki.BaseAddress, Pki.Root, readTimeout: TimeSpan.FromSeconds(30));
        using var _ = tcp;
        await using var __ = tls;

        await tls.WriteAsync(Encoding.ASCII.GetBytes("POST /1.0/sign HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"csr\":\""));
        var response = RawHttps.ReadResponse(tls);

        (response.Closed || response.Status == 408).Should().BeTrue("response: {0}", response);
        Pki.CountRows("x509_certs").Should().Be(certificates);
        await Pki.Log.WaitForLineAsync(mark, l => l.Contains("/1.0/sign", StringComparison.Ordinal) || l.Contains("data arriving too slowly", StringComparison.Ordinal));
        Pki.Log.Lines.Skip(mark).Should().NotContain(l => l.Contains(" answered 500", StringComparison.Ordinal) || l.Contains(" 500 in ", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_client_that_disconnects_mid_body_is_logged_and_nothing_is_written()
    {
        var certificates = Pki.CountRows("x509_certs");
        var used = Pki.CountRows("used_ott");
        var mark = Pki.Log.Mark();
        var (tcp, tls) = await RawHttps.ConnectAsync(Pki.BaseAddress, Pki.Root);
        using (tcp)
        {
            await using (tls)
            {
                var token = Pki.Provisioner.SignToken("gone.host.test");
                await StartReadingBodyAsync(tls, "/1.0/sign");
                await tls.WriteAsync(Encoding.ASCII.GetBytes($"{{\"ott\":\"{token}\",\"csr\":\"-----BEGIN"));
                await tls.FlushAsync();
            }
        }

        var line = await Pki.Log.WaitForLineAsync(mark, l => l.Contains("POST /1.0/sign 4", StringComparison.Ordinal));
        line.Should().MatchRegex("POST /1.0/sign (499|400) in ");
        Pki.Log.Lines.Skip(mark).Should().NotContain(l => l.Contains(" answered 5", StringComparison.Ordinal) || l.Contains(" 500 in ", StringComparison.Ordinal));
        Pki.CountRows("x509_certs").Should().Be(certificates);
        Pki.CountRows("used_ott").Should().Be(used);
    }

    // Sends the headers with "Expect: 100-continue" and waits for Kestrel's interim 100, which it
    // sends when the endpoint starts reading the body: the request is in the endpoint, no race.
    private static async Task StartReadingBodyAsync(System.Net.Security.SslStream tls, string path)
    {
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n"));
        await tls.FlushAsync();
        var interim = new StringBuilder();
        var one = new byte[1];
        while (!interim.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            (await tls.ReadAsync(one)).Should().Be(1, "the server sends 100 Continue, got: {0}", interim);
            interim.Append((char)one[0]);
        }
        interim.ToString().Should().StartWith("HTTP/1.1 100");
    }

    [Test]
    public async Task A_client_that_resets_mid_body_is_logged_and_nothing_is_written()
    {
        var certificates = Pki.CountRows("x509_certs");
        var mark = Pki.Log.Mark();
        var (tcp, tls) = await RawHttps.ConnectAsync(Pki.BaseAddress, Pki.Root);
        await StartReadingBodyAsync(tls, "/1.0/revoke");
        await tls.WriteAsync("{\"serial\":\"1\""u8.ToArray());
        await tls.FlushAsync();
        // RST instead of FIN: linger 0.
        tcp.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        tcp.Client.Close();
        tcp.Dispose();

        var line = await Pki.Log.WaitForLineAsync(mark, l => l.Contains("POST /1.0/revoke 4", StringComparison.Ordinal));
        line.Should().MatchRegex("POST /1.0/revoke (499|400) in ");
        Pki.Log.Lines.Skip(mark).Should().NotContain(l => l.Contains(" answered 5", StringComparison.Ordinal) || l.Contains(" 500 in ", StringComparison.Ordinal));
        Pki.CountRows("x509_certs").Should().Be(certificates);
        Pki.CountRows("revoked_x509_certs").Should().Be(0);
    }
}
