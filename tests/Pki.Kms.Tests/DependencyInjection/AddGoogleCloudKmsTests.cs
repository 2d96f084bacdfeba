using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.GoogleCloud;

namespace Smallstep.Pki.Tests.Kms.DependencyInjection;

public class AddGoogleCloudKmsTests
{
    [Test]
    public void Registers_the_cloudkms_type_and_scheme_opening_plain_resource_names_once()
    {
        var services = new ServiceCollection();

        services.AddPki().AddGoogleCloudKms(o => o.ProtectionLevel = "HSM").AddGoogleCloudKms();
        using var provider = services.BuildServiceProvider();

        var registrations = provider.GetServices<KeyManagerRegistration>().Where(r => r.Type == "cloudkms").ToList();
        registrations.Should().ContainSingle().Which.Should().BeSameAs(GoogleCloudKmsPkiBuilderExtensions.GoogleCloudKmsRegistration);
        registrations[0].UriSchemes.Should().Equal("cloudkms");
        registrations[0].OpensPlainKeyNames.Should().BeTrue();
        registrations[0].AddMethod.Should().Be("AddGoogleCloudKms()");
        provider.GetRequiredService<IOptions<GoogleCloudKmsOptions>>().Value.ProtectionLevel.Should().Be("HSM");
    }

    [Test]
    public void The_endpoint_defaults_to_the_public_api() =>
        new GoogleCloudKmsOptions().Endpoint.Should().Be(Environment.GetEnvironmentVariable(GoogleCloudKmsOptions.EndpointVariable) is { Length: > 0 } e ? new Uri(e) : new Uri("https://cloudkms.googleapis.com/"));
}
