using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Aws;

namespace Smallstep.Pki.Tests.Kms.Aws;

/// <summary>AddAwsKms() registers awskms for its kms.type and key URI schemes, with the options given.</summary>
[TestFixture]
public sealed class AddAwsKmsTests
{
    [Test]
    public async Task The_registration_answers_awskms_and_creates_a_manager_from_the_kms_block_and_options()
    {
        await using var kms = await LocalAwsKms.StartAsync();
        var services = new ServiceCollection();
        services.AddPki().AddAwsKms().AddAwsKms(o => o.RsaSigningAlgorithm = "RSASSA_PSS_SHA_384");
        await using var provider = services.BuildServiceProvider();
        var registry = new KeyManagerRegistry(provider.GetServices<KeyManagerRegistration>());

        registry.FindByType("AWSKMS").Should().BeSameAs(AwsKmsPkiBuilderExtensions.AwsKmsRegistration);
        registry.FindByScheme(KeyManagerRegistry.SchemeOf("aws:key-id=x")).Should().BeSameAs(AwsKmsPkiBuilderExtensions.AwsKmsRegistration);
        provider.GetServices<KeyManagerRegistration>().Should().ContainSingle();
        await using var manager = await AwsKmsPkiBuilderExtensions.AwsKmsRegistration.CreateAsync(new KeyManagerContext(kms.Kms, provider), CancellationToken.None);
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("di", KeyAlgorithm.Rsa));
        var signer = await manager.GetSignerAsync(created.KeyUri);
        signer.SignatureAlgorithmIdentifier.Span[4..13].ToArray().Should().Equal(Convert.FromHexString("2a864886f70d01010a"), "id-RSASSA-PSS from the configured option");
    }
}
