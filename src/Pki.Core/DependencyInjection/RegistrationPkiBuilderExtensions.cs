using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The funnels back ends and features register through. The authority chooses among what is
/// registered from ca.json (<c>kms</c>, key URI schemes, <c>db.type</c>, provisioner types), and
/// what it reports as supported (start-up warnings, 501 routes) is derived from the same
/// registrations. Each funnel is idempotent: the first registration of a name wins.
/// </summary>
public static class RegistrationPkiBuilderExtensions
{
    /// <summary>Registers a key manager for its <c>kms.type</c> and key URI schemes (first per type wins).</summary>
    public static PkiBuilder AddKeyManager(this PkiBuilder builder, KeyManagerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(registration);
        if (!Registered<KeyManagerRegistration>(builder.Services).Any(r => string.Equals(r.Type, registration.Type, StringComparison.OrdinalIgnoreCase)))
        {
            builder.Services.AddSingleton(registration);
        }
        return builder;
    }

    /// <summary>Registers a storage provider for its <c>db.type</c> names (a type already registered keeps its first provider).</summary>
    public static PkiBuilder AddStorageProvider(this PkiBuilder builder, StorageProviderRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(registration);
        var taken = Registered<StorageProviderRegistration>(builder.Services).SelectMany(r => r.DatabaseTypes).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!registration.DatabaseTypes.All(taken.Contains))
        {
            builder.Services.AddSingleton(registration);
        }
        return builder;
    }

    /// <summary>Adds a feature's tables to those every store creates (once per feature name).</summary>
    public static PkiBuilder AddStorageTables(this PkiBuilder builder, StorageTableSet tables)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tables);
        if (!Registered<StorageTableSet>(builder.Services).Any(t => t.Feature == tables.Feature))
        {
            builder.Services.AddSingleton(tables);
        }
        return builder;
    }

    /// <summary>Declares that an optional ca.json feature runs (see <see cref="SupportedFeature"/>).</summary>
    public static PkiBuilder AddSupportedFeature(this PkiBuilder builder, ConfigFeature feature)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!Registered<SupportedFeature>(builder.Services).Any(f => f.Feature == feature))
        {
            builder.Services.AddSingleton(new SupportedFeature(feature));
        }
        return builder;
    }

    private static IEnumerable<T> Registered<T>(IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(T) && !d.IsKeyedService).Select(d => d.ImplementationInstance).OfType<T>();
}
