using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>The ACME server's services, registered once (<c>AddAcme()</c>).</summary>
internal static class AcmeServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AcmeNonces>();
        services.TryAddSingleton<AcmeRequestVerifier>();
        services.TryAddSingleton<AcmeExternalAccountBinding>();
        services.TryAddSingleton<RateLimits.AcmeRateLimits>();
        services.TryAddSingleton<AcmeAccounts>();
        services.TryAddSingleton<AcmeOrders>();
        services.TryAddSingleton<AcmeAuthorizations>();
        services.TryAddSingleton<AcmeCertificates>();
        services.TryAddSingleton<AcmeRenewalInfo>();
        services.TryAddSingleton<AcmeChallengeRunner>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AcmeChallengeRunner>(sp => sp.GetRequiredService<AcmeChallengeRunner>()));
    }
}
