using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>Registers the settings of the step-ca compatible CA API.</summary>
public static class StepApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="StepApiOptions"/>, validated when the host starts, and the step-ca
    /// provisioner types this build does not run yet as pending (<see cref="Pending.PendingProvisionerTypes"/>:
    /// listed, answering 501). Idempotent; calling it again adds another <paramref name="configure"/>.
    /// The CA API also works without this call (defaults), but then invalid settings are found only
    /// on first use, and a ca.json entry of a pending type stops the start.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional settings.</param>
    /// <returns>The options builder, for further configuration or binding.</returns>
    public static OptionsBuilder<StepApiOptions> AddStepApi(this IServiceCollection services, Action<StepApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<StepApiOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StepApiOptions>, StepApiOptionsValidator>());
        foreach (var registration in Pending.PendingProvisionerTypes.All)
        {
            services.AddProvisionerType(registration);
        }
        return builder.ValidateOnStart();
    }
}
