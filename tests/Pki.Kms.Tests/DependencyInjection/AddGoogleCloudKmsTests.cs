using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Errors;
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
        registrations[0].AddMethod.Should().Be("AddGoogleCloudKms()");
        provider.GetRequiredService<IOptions<GoogleCloudKmsOptions>>().Value.ProtectionLevel.Should().Be("HSM");
    }

    [Test]
    [NonParallelizable]
    public void The_endpoint_is_the_option_else_the_environment_else_the_public_api()
    {
        var saved = Environment.GetEnvironmentVariable(GoogleCloudKmsOptions.EndpointVariable);
        try
        {
            Environment.SetEnvironmentVariable(GoogleCloudKmsOptions.EndpointVariable, null);
            new GoogleCloudKmsOptions().ResolveEndpoint().Should().Be(new Uri("https://cloudkms.googleapis.com/"));

            Environment.SetEnvironmentVariable(GoogleCloudKmsOptions.EndpointVariable, "https://cloudkms-psc.p.googleapis.com");
            new GoogleCloudKmsOptions().ResolveEndpoint().Should().Be(new Uri("https://cloudkms-psc.p.googleapis.com/"));
            new GoogleCloudKmsOptions { Endpoint = new Uri("https://127.0.0.1:8443/base") }.ResolveEndpoint().Should().Be(new Uri("https://127.0.0.1:8443/base/"));

            Environment.SetEnvironmentVariable(GoogleCloudKmsOptions.EndpointVariable, "http://plain.example");
            var resolve = () => new GoogleCloudKmsOptions().ResolveEndpoint();
            resolve.Should().Throw<PkiException>().Which.Message.Should().Contain("PKI_CLOUDKMS_ENDPOINT is not an absolute https URL");
        }
        finally
        {
            Environment.SetEnvironmentVariable(GoogleCloudKmsOptions.EndpointVariable, saved);
        }
    }
}
