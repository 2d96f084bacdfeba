using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Provisioners.Acme.Challenges;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ACME challenge validators.</summary>
public static class AcmeChallengeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the http-01, dns-01 and tls-alpn-01 validators as <see cref="IAcmeChallengeValidator"/>
    /// singletons (resolve them as <c>IEnumerable&lt;IAcmeChallengeValidator&gt;</c>) and
    /// <see cref="AcmeChallengeOptions"/>, validated when the host starts. Idempotent; calling it
    /// again adds another <paramref name="configure"/>. A <see cref="TimeProvider"/> is registered
    /// (the system clock) unless one already is.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional settings.</param>
    /// <returns>The options builder, for further configuration or binding.</returns>
    public static OptionsBuilder<AcmeChallengeOptions> AddAcmeChallengeValidators(this IServiceCollection services, Action<AcmeChallengeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        var builder = services.AddOptions<AcmeChallengeOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AcmeChallengeOptions>, AcmeChallengeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAcmeChallengeValidator, Http01ChallengeValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAcmeChallengeValidator, Dns01ChallengeValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAcmeChallengeValidator, TlsAlpn01ChallengeValidator>());
        return builder.ValidateOnStart();
    }
}
