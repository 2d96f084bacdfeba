using System.Net;
using Smallstep.Pki.Provisioners.Acme.Challenges;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary>The addresses a challenge may connect to.</summary>
public class AcmeNetworkPolicyTests
{
    private static readonly AcmeNetworkPolicy Strict = new(allowLoopback: false, allowPrivateNetworks: false);
    private static readonly AcmeNetworkPolicy Permissive = new(allowLoopback: true, allowPrivateNetworks: true);

    [TestCase("169.254.169.254", "link-local")]
    [TestCase("169.254.0.1", "link-local")]
    [TestCase("fe80::1", "link-local")]
    [TestCase("febf:ffff::1", "link-local")]
    [TestCase("::ffff:169.254.169.254", "link-local")]
    [TestCase("64:ff9b::169.254.169.254", "link-local")]
    [TestCase("224.0.0.1", "multicast")]
    [TestCase("239.255.255.250", "multicast")]
    [TestCase("ff02::1", "multicast")]
    [TestCase("0.0.0.0", "unspecified")]
    [TestCase("0.1.2.3", "unspecified")]
    [TestCase("::", "unspecified")]
    [TestCase("255.255.255.255", "broadcast")]
    [TestCase("240.0.0.1", "reserved")]
    public void Is_always_refused(string address, string reason)
    {
        Permissive.Refusal(IPAddress.Parse(address)).Should().Contain(reason);
        Strict.Refusal(IPAddress.Parse(address)).Should().Contain(reason);
    }

    [TestCase("127.0.0.1")]
    [TestCase("127.255.0.9")]
    [TestCase("::1")]
    [TestCase("::ffff:127.0.0.1")]
    public void Loopback_follows_AllowLoopback(string address)
    {
        Strict.Refusal(IPAddress.Parse(address)).Should().Contain("loopback");
        Permissive.Refusal(IPAddress.Parse(address)).Should().BeNull();
    }

    [TestCase("10.0.0.1")]
    [TestCase("172.16.0.1")]
    [TestCase("172.31.255.255")]
    [TestCase("192.168.1.1")]
    [TestCase("100.64.0.1")]
    [TestCase("fd00::1")]
    [TestCase("fc00::1")]
    [TestCase("fec0::1")]
    public void Private_ranges_follow_AllowPrivateNetworks(string address)
    {
        Strict.Refusal(IPAddress.Parse(address)).Should().Contain("private");
        Permissive.Refusal(IPAddress.Parse(address)).Should().BeNull();
    }

    [TestCase("8.8.8.8")]
    [TestCase("172.15.255.255")]
    [TestCase("172.32.0.0")]
    [TestCase("100.128.0.1")]
    [TestCase("169.253.255.255")]
    [TestCase("2001:4860:4860::8888")]
    [TestCase("::2")]
    public void Public_addresses_are_allowed(string address)
    {
        Strict.Refusal(IPAddress.Parse(address)).Should().BeNull();
    }

    [Test]
    public void The_private_ranges_are_allowed_and_loopback_refused_by_default()
    {
        var defaults = new AcmeChallengeOptions();

        defaults.AllowPrivateNetworks.Should().BeTrue("a private CA validates hosts on internal networks");
        defaults.AllowLoopback.Should().BeFalse();
    }
}
