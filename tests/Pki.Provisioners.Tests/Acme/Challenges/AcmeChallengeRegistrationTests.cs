using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Provisioners.Acme.Challenges;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary><c>AddAcmeChallengeValidators</c>, options validation and the identifier forms.</summary>
public class AcmeChallengeRegistrationTests
{
    [Test]
    public void Registers_the_three_validators_once_however_often_it_is_called()
    {
        var services = new ServiceCollection();
        services.AddAcmeChallengeValidators();
        services.AddAcmeChallengeValidators(o => o.HttpPort = 8080);
        using var provider = services.BuildServiceProvider();

        var validators = provider.GetServices<IAcmeChallengeValidator>().ToList();

        validators.Select(v => v.Type).Should().BeEquivalentTo("http-01", "dns-01", "tls-alpn-01");
        provider.GetRequiredService<IOptions<AcmeChallengeOptions>>().Value.HttpPort.Should().Be(8080);
    }

    [Test]
    public void Invalid_settings_are_reported_with_the_setting_name()
    {
        var services = new ServiceCollection();
        services.AddAcmeChallengeValidators(o =>
        {
            o.HttpPort = 0;
            o.TlsPort = 70000;
            o.Timeout = TimeSpan.Zero;
            o.MaxResponseBytes = 0;
            o.MaxRedirects = -1;
            o.Resolver = "dns.example:53";
        });
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<AcmeChallengeOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(6)
            .And.Contain(f => f.Contains("AcmeChallengeOptions.Resolver"));
    }

    [TestCase("10.0.0.53", "10.0.0.53:53")]
    [TestCase("10.0.0.53:5353", "10.0.0.53:5353")]
    [TestCase("[2001:db8::53]:53", "[2001:db8::53]:53")]
    [TestCase("2001:db8::53", "[2001:db8::53]:53")]
    public void The_resolver_is_an_address_with_port_53_by_default(string value, string endPoint)
    {
        AcmeChallengeOptionsValidator.TryParseResolver(value, out var parsed).Should().BeTrue();
        parsed.ToString().Should().Be(endPoint);
    }

    [TestCase("192.0.2.1", "1.2.0.192.in-addr.arpa")]
    [TestCase("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void The_tls_server_name_of_an_ip_identifier_is_its_reverse_name(string address, string name)
    {
        var target = AcmeChallengeTarget.Create(new AcmeChallengeAttempt("ip", address, "t", "t.k"));

        target!.TlsServerName.Should().Be(name, "RFC 8738 §6");
    }
}
