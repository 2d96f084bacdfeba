using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Tests.Host.Binary;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// <c>step ca certificate --provisioner acme</c>: step's built-in ACME client (new-account, new-order,
/// http-01 answered by its own <c>--http-listen</c> server, finalize, download) against the host
/// binary serving the fixture PKI's ACME provisioner, with the validator pointed at step's port.
/// </summary>
public sealed class StepCaAcmeTests
{
    [Test]
    public async Task Step_gets_a_certificate_from_the_acme_provisioner_over_http_01()
    {
        StepCli.Locate();
        using var directory = new TemporaryDirectory();
        var configPath = StepCaProvisionerEditTests.CopyFixturePki(directory.Path);
        var challengePort = FreePort();
        await using var host = HostProcess.Start(directory.Path, configPath, "--password-file", Path.Combine(directory.Path, "password.txt"),
            "--acme-http-port", challengePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--acme-allow-loopback");
        var port = await host.WaitUntilServingAsync();
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory.Path, "certs", "root_ca.crt"));
        using var intermediate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory.Path, "certs", "intermediate_ca.crt"));
        using var step = StepCli.Bootstrap(new Uri($"https://127.0.0.1:{port}"), root, "unused");
        var (crt, key) = (step.NewPath("acme.crt"), step.NewPath("acme.key"));

        step.Run("ca", "certificate", "localhost", crt, key, "--provisioner", "acme", "--http-listen", $"127.0.0.1:{challengePort}")
            .ShouldSucceed();

        using var issued = StepIssued.Read(crt, root, intermediate);
        issued.DnsNames.Should().Equal("localhost");
        issued.Leaf.GetNameInfo(X509NameType.SimpleName, false).Should().Be("localhost");
        host.Output.Lines.Should().Contain(l => l.Contains("/acme/acme/order/", StringComparison.Ordinal) && l.Contains("/finalize 200", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
