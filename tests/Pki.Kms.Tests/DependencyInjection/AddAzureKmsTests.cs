using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Azure;

namespace Smallstep.Pki.Tests.Kms.DependencyInjection;

public class AddAzureKmsTests
{
    [Test]
    public void Registers_the_azurekms_type_and_scheme_once()
    {
        var services = new ServiceCollection();

        services.AddPki().AddAzureKms(o => o.VaultUrlTemplate = "https://{vault}.privatelink.vaultcore.azure.net/").AddAzureKms();
        using var provider = services.BuildServiceProvider();

        var registration = provider.GetServices<KeyManagerRegistration>().Should().ContainSingle(r => r.Type == "azurekms").Which;
        registration.Should().BeSameAs(AzureKmsPkiBuilderExtensions.AzureKmsRegistration);
        registration.UriSchemes.Should().Equal("azurekms");
        provider.GetRequiredService<IOptions<AzureKmsOptions>>().Value.VaultUrlTemplate.Should().Be("https://{vault}.privatelink.vaultcore.azure.net/");
    }
}
