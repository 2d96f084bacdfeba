using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Host.Serve;

namespace Smallstep.Pki.Tests.Host.Acme.Protocol;

/// <summary>step-ca's ACME validation flags on the command line.</summary>
public sealed class AcmeCommandLineTests
{
    [Test]
    public void The_ports_and_the_resolver_are_read_and_checked()
    {
        AcmeCommandLine.Read(CommandLine.Parse(["ca.json", "--acme-http-port", "8080", "--acme-tls-port=8443", "--resolver", "127.0.0.1:5353"]))
            .Should().Be(new AcmeCommandLine(8080, 8443, "127.0.0.1:5353"));
        AcmeCommandLine.Read(CommandLine.Parse(["ca.json"])).Should().Be(AcmeCommandLine.None);
        var act = () => AcmeCommandLine.Read(CommandLine.Parse(["ca.json", "--acme-http-port", "70000"]));
        act.Should().Throw<UsageException>().WithMessage("*--acme-http-port*");
    }
}
