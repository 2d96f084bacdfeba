namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the certificate authority.</summary>
public static class PkiServiceCollectionExtensions
{
    /// <summary>Adds the CA core services and returns a builder for key managers, storage and provisioners.</summary>
    public static PkiBuilder AddPki(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(TimeProvider.System);
        return new PkiBuilder(services);
    }
}
