using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Tests.Kms.DependencyInjection;

public class AddSoftKmsTests
{
    [Test]
    public async Task Registers_one_manager_as_key_manager_and_decrypter()
    {
        var services = new ServiceCollection();
        services.AddPki().AddSoftKms(o =>
        {
            o.BaseDirectory = Fixtures.Path("pki");
            o.PasswordProvider = _ => "fixture-test-password";
        });
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var manager = provider.GetRequiredService<IKeyManager>();
        var signer = await manager.GetSignerAsync("secrets/root_ca_key");

        manager.Should().BeOfType<SoftKeyManager>();
        provider.GetRequiredService<IKeyDecrypter>().Should().BeSameAs(manager);
        provider.GetRequiredService<SoftKeyManager>().Should().BeSameAs(manager);
        signer.Algorithm.Should().Be(KeyAlgorithm.EcdsaP256);
    }

    [Test]
    public void Is_idempotent_and_applies_every_configuration()
    {
        var services = new ServiceCollection();
        var builder = services.AddPki();

        builder.AddSoftKms(o => o.BaseDirectory = "/first").AddSoftKms().AddSoftKms(o => o.PasswordProvider = _ => "pw");
        using var provider = services.BuildServiceProvider();

        services.Count(d => d.ServiceType == typeof(IKeyManager)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IKeyDecrypter)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(SoftKeyManager)).Should().Be(1);
        var options = provider.GetRequiredService<IOptions<SoftKmsOptions>>().Value;
        options.BaseDirectory.Should().Be("/first");
        options.PasswordProvider!("x").Should().Be("pw");
    }

    [Test]
    public void Does_not_replace_a_key_manager_registered_first()
    {
        var services = new ServiceCollection();
        var other = new SoftKeyManager(new SoftKmsOptions());
        services.AddSingleton<IKeyManager>(other);

        services.AddPki().AddSoftKms();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IKeyManager>().Should().BeSameAs(other);
    }
}
