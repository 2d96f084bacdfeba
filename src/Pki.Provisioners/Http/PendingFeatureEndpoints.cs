using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// Routes of step-ca features this build does not serve yet (CRL, ACME, SCEP, admin API).
/// They answer 501 with step-ca's error body, so clients get a clear, parseable refusal instead of a
/// 404 that looks like a wrong URL; the log line names the feature. Which features are pending is
/// derived from the registrations: the ACME and SCEP prefixes only while no provisioner factory of
/// that type is registered, CRL and the admin API only while no component registered them as a
/// <see cref="SupportedFeature"/>.
/// </summary>
public static class PendingFeatureEndpoints
{
    // Every SSH route is served (MapStepApi): POST /ssh/sign (and /sign-ssh), /ssh/renew, /ssh/rekey,
    // /ssh/revoke, /ssh/config, /ssh/config/{type}, /ssh/check-host, /ssh/bastion; GET /ssh/roots,
    // /ssh/federation, /ssh/hosts, /ssh/get-hosts.
    private static readonly string[] CaApiFeatures =
    [
        "/crl",
    ];
    private static readonly (string Prefix, string Feature)[] Mounted =
    [
        ("/acme/{**rest}", "ACME"),
        ("/2.0/acme/{**rest}", "ACME"),
        ("/scep/{**rest}", "SCEP"),
        ("/admin/{**rest}", "the admin API"),
    ];

    // What makes a pending feature served: a provisioner type or a supported ca.json feature.
    private static readonly Dictionary<string, (string? ProvisionerType, ConfigFeature? Feature)> ServedBy = new(StringComparer.Ordinal)
    {
        ["ACME"] = (ProvisionerTypeNames.Acme, null),
        ["SCEP"] = (ProvisionerTypeNames.Scep, null),
        ["the admin API"] = (null, ConfigFeature.RemoteAdministration),
        ["CRL"] = (null, ConfigFeature.CertificateRevocationList),
    };

    /// <summary>Maps the pending routes at <c>/</c> and <c>/1.0/</c> (CA API) and at their own prefixes.</summary>
    public static IEndpointRouteBuilder MapPendingFeatures(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var types = services.GetServices<ProvisionerTypeRegistration>().Where(t => t.IsRunnable).Select(t => t.Type).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var features = services.GetServices<SupportedFeature>().Select(f => f.Feature).ToHashSet();
        bool Pending(string feature) => !ServedBy.TryGetValue(feature, out var by)
            || !((by.ProvisionerType is { } type && types.Contains(type)) || (by.Feature is { } f && features.Contains(f)));
        foreach (var prefix in new[] { "", "/1.0" })
        {
            foreach (var route in CaApiFeatures)
            {
                if (Pending("CRL"))
                {
                    Map(endpoints, prefix + route, "CRL");
                }
            }
        }
        foreach (var (route, feature) in Mounted.Where(m => Pending(m.Feature)))
        {
            Map(endpoints, route, feature);
        }
        return endpoints;
    }

    private static void Map(IEndpointRouteBuilder endpoints, string pattern, string feature) =>
        endpoints.Map(pattern, StepApiContext.Handle(_ => throw PkiException.NotImplemented($"{feature} is not supported by this build yet")))
            .WithDisplayName($"pending feature {pattern}");
}
