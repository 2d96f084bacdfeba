using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Provisioners.Http;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Tests.Http;

public class StepApiRegistrationTests
{
    [Test]
    public void AddStepApi_applies_the_configuration()
    {
        using var services = new ServiceCollection().AddStepApi(o => o.Version = "9.9.9").Services.BuildServiceProvider();

        services.GetRequiredService<IOptions<StepApiOptions>>().Value.Version.Should().Be("9.9.9");
    }

    [Test]
    public void AddStepApi_rejects_invalid_settings_naming_each_field()
    {
        using var services = new ServiceCollection().AddStepApi(o =>
        {
            o.Version = " ";
            o.MaxRequestBodySize = 0;
            o.TlsOptions = new StepTlsOptions { MinVersion = 1.3, MaxVersion = 1.25 };
        }).Services.BuildServiceProvider();

        var failure = FluentActions.Invoking(() => services.GetRequiredService<IOptions<StepApiOptions>>().Value)
            .Should().Throw<OptionsValidationException>().Which;

        failure.Failures.Should().BeEquivalentTo(
            "StepApiOptions.Version must not be empty.",
            "StepApiOptions.MaxRequestBodySize must be positive (was 0).",
            "tls.maxVersion 1.25 is not a valid TLS version (1.0, 1.1, 1.2 or 1.3).",
            "tls.minVersion 1.3 is greater than tls.maxVersion 1.25.");
    }

    [Test]
    public void The_defaults_are_valid_and_match_step_ca()
    {
        using var services = new ServiceCollection().AddStepApi().Services.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<StepApiOptions>>().Value;
        options.MaxRequestBodySize.Should().Be(1024 * 1024);
        options.TlsOptions!.CipherSuites.Should().Equal("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        (options.TlsOptions.MinVersion, options.TlsOptions.MaxVersion, options.TlsOptions.Renegotiation).Should().Be((1.2, 1.3, false));
    }

    [Test]
    public async Task MapStepApi_refuses_to_map_without_a_certificate_authority()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IProvisionerCatalog>(new FixtureProvisionerCatalog());
        await using var app = builder.Build();

        FluentActions.Invoking(() => app.MapStepApi()).Should().Throw<InvalidOperationException>().WithMessage("*ICertificateAuthority*");
    }
}
