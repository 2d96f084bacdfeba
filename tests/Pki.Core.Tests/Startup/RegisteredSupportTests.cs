using Smallstep.Pki.Provisioning;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Startup;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Startup;

/// <summary>Supported types and missing registrations are derived from what is registered.</summary>
public sealed class RegisteredSupportTests
{
    private static readonly CaConfig Config = CaConfig.Parse("""
        {"key":"pkcs11:id=1","ssh":{"hostKey":"softkms:path=secrets/host","userKey":"yubikey:slot-id=9c"},"kms":{"type":"pkcs11"},
         "db":{"type":"testdb","dataSource":"x"},"authority":{"provisioners":[{"type":"JWK","name":"a"},{"type":"ACME","name":"b"},{"type":"HMAC","name":"c"}]}}
        """);

    [Test]
    public void Each_missing_registration_names_its_field_and_call()
    {
        var services = new ServiceCollection();
        services.AddPki().AddProvisionerType(new ProvisionerTypeRegistration("ACME", (_, _) => throw new NotSupportedException()) { IsRunnable = false });
        var provider = new InstanceProvider(services);

        var missing = RegisteredSupport.From(provider).FindMissing(Config);

        missing.Select(m => m.ToString()).Should().Equal(
            "kms.type: no key manager is registered for kms type \"pkcs11\": register one with AddKeyManager(new KeyManagerRegistration(\"pkcs11\", ...)) or the package that provides it",
            "ssh.hostKey: no key manager is registered for key URI scheme \"softkms\": call AddSoftKms()",
            "ssh.userKey: no key manager is registered for key URI scheme \"yubikey\": register one with AddKeyManager(new KeyManagerRegistration(\"yubikey\", ...)) or the package that provides it",
            "db.type: no storage provider is registered for db.type \"testdb\": register one with AddStorageProvider(new StorageProviderRegistration([\"testdb\"], ...)) or the package that provides it",
            "authority.provisioners[0].type: no provisioner type \"JWK\" is registered: call AddJwkProvisioners() or AddStepProvisioners()",
            "authority.provisioners[2].type: no provisioner type \"HMAC\" is registered: call AddProvisionerType(new ProvisionerTypeRegistration(\"HMAC\", ...))");
    }

    [Test]
    public void Supported_types_are_the_registered_ones()
    {
        static ValueTask<IKeyManager> Keys(KeyManagerContext context, CancellationToken token) => throw new NotSupportedException();
        static ValueTask<IKeyValueStore> Store(StorageOpenContext context, CancellationToken token) => throw new NotSupportedException();
        var services = new ServiceCollection();
        services.AddPki()
            .AddKeyManager(new KeyManagerRegistration("pkcs11", ["pkcs11"], Keys))
            .AddStorageProvider(new StorageProviderRegistration(["testdb"], Store))
            .AddSupportedFeature(ConfigFeature.SshCertificateAuthority);
        var provider = new InstanceProvider(services);

        var support = RegisteredSupport.From(provider).ToFeatureSupport(Config);

        support.KmsTypes.Should().BeEquivalentTo("pkcs11");
        support.DatabaseTypes.Should().BeEquivalentTo("testdb");
        support.ProvisionerTypes.Should().BeEmpty();
        support.Features.Should().BeEquivalentTo([ConfigFeature.SshCertificateAuthority]);
        FeatureSupportCheck.Check(Config, support).Should().OnlyContain(d => d.Field.StartsWith("authority.provisioners[", StringComparison.Ordinal));
    }
}

/// <summary>Serves the instance registrations of a service collection (Core's tests have no DI container).</summary>
internal sealed class InstanceProvider(IServiceCollection services) : IServiceProvider
{
    public object? GetService(Type serviceType)
    {
        if (serviceType.IsGenericType && serviceType.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            var item = serviceType.GetGenericArguments()[0];
            var instances = services.Where(d => d.ServiceType == item && !d.IsKeyedService && d.ImplementationInstance is not null).Select(d => d.ImplementationInstance!).ToArray();
            var array = Array.CreateInstance(item, instances.Length);
            Array.Copy(instances, array, instances.Length);
            return array;
        }
        return services.LastOrDefault(d => d.ServiceType == serviceType && !d.IsKeyedService)?.ImplementationInstance;
    }
}

