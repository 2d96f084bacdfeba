using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Binary;

/// <summary>
/// <c>pki-host</c> with no arguments and an empty STEPPATH: it creates a PKI, keeps the generated
/// password in a 0600 file whose path it prints, serves on 127.0.0.1:9000, and exits 0 on SIGTERM.
/// </summary>
public class FirstRunTests
{
    private const int DefaultPort = 9000;

    [Test]
    public async Task First_run_creates_a_pki_prints_the_password_file_and_serves_on_port_9000()
    {
        RequireFreePort(DefaultPort);
        using var parent = new TemporaryDirectory();
        var stepPath = Path.Combine(parent.Path, "step");
        var passwordFile = Path.Combine(stepPath, "secrets", "password");

        await using var host = HostProcess.Start(stepPath);

        (await host.WaitForLineAsync(l => l.Contains("password file", StringComparison.Ordinal))).Should().EndWith(": " + passwordFile);
        (await host.WaitUntilServingAsync()).Should().Be(DefaultPort);
        File.GetUnixFileMode(passwordFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText(passwordFile).Trim().Should().NotBeEmpty();
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(stepPath, "certs", "root_ca.crt"));
        using (var client = CaHttpClient.Create(new Uri($"https://127.0.0.1:{DefaultPort}"), root))
        using (var health = await client.GetAsync("/health"))
        {
            ((int)health.StatusCode).Should().Be(200);
            (await health.Content.ReadAsStringAsync()).Should().Be("{\"status\":\"ok\"}\n");
        }

        host.Signal("TERM");
        (await host.WaitForExitAsync()).Should().Be(0);
    }

    private static void RequireFreePort(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
        }
        catch (SocketException e)
        {
            var reason = $"127.0.0.1:{port} is busy ({e.SocketErrorCode}); the first-run default address cannot be tested here";
            TestContext.Out.WriteLine(reason);
            Assert.Ignore(reason);
        }
    }
}
