using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// Routes of step-ca features this build does not serve yet (SSH renew/rekey/revoke/config/hosts/bastion,
/// CRL, ACME, SCEP, admin API).
/// They answer 501 with step-ca's error body, so clients get a clear, parseable refusal instead of a
/// 404 that looks like a wrong URL; the log line names the feature.
/// </summary>
public static class PendingFeatureEndpoints
{
    // POST /ssh/sign (and /sign-ssh), GET /ssh/roots and /ssh/federation are served (MapStepApi).
    private static readonly string[] CaApiFeatures =
    [
        "/ssh/renew", "/ssh/rekey", "/ssh/revoke", "/ssh/config", "/ssh/config/{type}", "/ssh/check-host",
        "/ssh/hosts", "/ssh/get-hosts", "/ssh/bastion", "/crl",
    ];
    private static readonly (string Prefix, string Feature)[] Mounted =
    [
        ("/acme/{**rest}", "ACME"),
        ("/2.0/acme/{**rest}", "ACME"),
        ("/scep/{**rest}", "SCEP"),
        ("/admin/{**rest}", "the admin API"),
    ];

    /// <summary>Maps the pending routes at <c>/</c> and <c>/1.0/</c> (CA API) and at their own prefixes.</summary>
    public static IEndpointRouteBuilder MapPendingFeatures(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var prefix in new[] { "", "/1.0" })
        {
            foreach (var route in CaApiFeatures)
            {
                Map(endpoints, prefix + route, route.StartsWith("/crl", StringComparison.Ordinal) ? "CRL" : "SSH certificates");
            }
        }
        foreach (var (route, feature) in Mounted)
        {
            Map(endpoints, route, feature);
        }
        return endpoints;
    }

    private static void Map(IEndpointRouteBuilder endpoints, string pattern, string feature) =>
        endpoints.Map(pattern, StepApiContext.Handle(_ => throw PkiException.NotImplemented($"{feature} is not supported by this build yet")))
            .WithDisplayName($"pending feature {pattern}");
}
