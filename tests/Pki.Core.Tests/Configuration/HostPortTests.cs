using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Configuration;

/// <summary>Listen address checks modelled on Go's net.SplitHostPort.</summary>
public class HostPortTests
{
    [TestCase(":9000")]
    [TestCase("127.0.0.1:9444")]
    [TestCase("localhost:443")]
    [TestCase("[::1]:443")]
    [TestCase("[::]:0")]
    public void Valid_addresses(string address) => HostPort.Problem(address).Should().BeNull();

    [TestCase("localhost", "missing port in address")]
    [TestCase("::1:443", "too many colons in address")]
    [TestCase("[::1]", "missing port in address")]
    [TestCase("[::1:443", "missing ']' in address")]
    [TestCase("[::1]x:443", "missing port in address")]
    [TestCase("a]:443", "unexpected bracket in address")]
    [TestCase("host:", "invalid port \"\"")]
    [TestCase("host:https", "invalid port \"https\"")]
    [TestCase("host:65536", "invalid port \"65536\"")]
    [TestCase("host:-1", "invalid port \"-1\"")]
    public void Invalid_addresses(string address, string problem) => HostPort.Problem(address).Should().Be(problem);
}
