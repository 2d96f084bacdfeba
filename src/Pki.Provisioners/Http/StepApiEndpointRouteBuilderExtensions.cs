using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>Maps the step-ca compatible CA API.</summary>
/// <remarks>
/// Lives in a <c>*.Http</c> namespace (not <c>Microsoft.AspNetCore.Builder</c>) so that every type
/// touching ASP.NET Core stays in <c>*.Http</c> namespaces, a rule the architecture tests can check.
/// </remarks>
public static class StepApiEndpointRouteBuilderExtensions
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];
    private static readonly string[] Post = [HttpMethods.Post];
    private static readonly string[] Get = [HttpMethods.Get];

    /// <summary>
    /// Maps the CA API of step-ca (api/api.go <c>Route</c>) at <c>/</c> and again under <c>/1.0/</c>:
    /// <c>GET /health</c>, <c>/version</c>, <c>/root/{sha}</c>, <c>/roots</c>, <c>/roots.pem</c>,
    /// <c>/federation</c>, <c>/intermediates</c>, <c>/intermediates.pem</c>, <c>/provisioners</c>,
    /// <c>/provisioners/{kid}/encrypted-key</c> (each also for HEAD) and <c>POST /sign</c>,
    /// <c>/renew</c>, <c>/re-sign</c>, <c>/rekey</c>, <c>/revoke</c>, and for SSH <c>POST /ssh/sign</c>
    /// (alias <c>/sign-ssh</c>), <c>/ssh/renew</c>, <c>/ssh/rekey</c>, <c>/ssh/revoke</c>, <c>GET /ssh/roots</c>, <c>/ssh/federation</c>, answered by an optional
    /// <see cref="ISshCertificateAuthority"/> service (501/404 without one), and <c>POST /ssh/config</c>,
    /// <c>/ssh/check-host</c>, <c>/ssh/bastion</c>, <c>GET /ssh/hosts</c> answered by an optional
    /// <see cref="ISshConfigurationAuthority"/> (404/501 without one). Requires
    /// <see cref="ICertificateAuthority"/> and <see cref="IProvisionerCatalog"/> services; optionally
    /// uses <see cref="StepApiOptions"/>, <see cref="IRenewTokenAuthorizer"/> and <see cref="TimeProvider"/>.
    /// Pair with <see cref="StepApiApplicationBuilderExtensions.UseStepApiFallbacks"/> for step-ca's 404 body.
    /// </summary>
    /// <param name="endpoints">The route builder (usually the <c>WebApplication</c>).</param>
    /// <returns>
    /// The group holding all CA-API endpoints (an <see cref="IEndpointRouteBuilder"/> and an
    /// <see cref="IEndpointConventionBuilder"/>), so conventions such as <c>RequireHost</c> apply to all of them.
    /// </returns>
    /// <exception cref="InvalidOperationException">A required service is not registered.</exception>
    public static RouteGroupBuilder MapStepApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RequireService<ICertificateAuthority>(endpoints.ServiceProvider);
        RequireService<IProvisionerCatalog>(endpoints.ServiceProvider);

        var api = endpoints.MapGroup(string.Empty);
        MapRoutes(api.MapGroup(string.Empty));
        MapRoutes(api.MapGroup("/1.0"));
        return api;
    }

    private static void MapRoutes(RouteGroupBuilder group)
    {
        Map(group, GetOrHead, "/health", TrustEndpoints.Health);
        Map(group, GetOrHead, "/version", TrustEndpoints.Version);
        Map(group, GetOrHead, "/root/{sha}", TrustEndpoints.Root);
        Map(group, GetOrHead, "/roots", TrustEndpoints.Roots);
        Map(group, GetOrHead, "/roots.pem", TrustEndpoints.RootsPem);
        Map(group, GetOrHead, "/federation", TrustEndpoints.Federation);
        Map(group, GetOrHead, "/intermediates", TrustEndpoints.Intermediates);
        Map(group, GetOrHead, "/intermediates.pem", TrustEndpoints.IntermediatesPem);
        Map(group, GetOrHead, "/provisioners", ProvisionerEndpoints.List);
        Map(group, GetOrHead, "/provisioners/{kid}/encrypted-key", ProvisionerEndpoints.EncryptedKey);
        Map(group, Post, "/sign", SignEndpoint.Sign);
        Map(group, Post, "/renew", RenewEndpoints.Renew);
        Map(group, Post, "/re-sign", RenewEndpoints.Renew);
        Map(group, Post, "/rekey", RenewEndpoints.Rekey);
        Map(group, Post, "/revoke", RevokeEndpoint.Revoke);
        Map(group, Post, "/ssh/sign", Ssh.SshSignEndpoint.Sign);
        Map(group, Post, "/sign-ssh", Ssh.SshSignEndpoint.Sign);
        Map(group, Post, "/ssh/renew", Ssh.SshRenewEndpoints.Renew);
        Map(group, Post, "/ssh/rekey", Ssh.SshRenewEndpoints.Rekey);
        Map(group, Post, "/ssh/revoke", Ssh.SshRevokeEndpoint.Revoke);
        Ssh.SshConfigurationEndpoints.Map((methods, pattern, handler) => Map(group, methods, pattern, handler));
        Map(group, Get, "/ssh/roots", Ssh.SshKeysEndpoints.Roots);
        Map(group, Get, "/ssh/federation", Ssh.SshKeysEndpoints.Federation);
    }

    private static void Map(RouteGroupBuilder group, string[] methods, string pattern, Func<StepApiContext, Task> handler) =>
        group.MapMethods(pattern, methods, StepApiContext.Handle(handler))
            .WithDisplayName($"step-ca API {methods[0]} {pattern}");

    // Checks the registration only: an authority composed with FromCaJson is built by its start-up
    // step when the host starts (before it listens), so it cannot be resolved while mapping.
    private static void RequireService<T>(IServiceProvider services)
        where T : notnull
    {
        if (services.GetService<IServiceProviderIsService>() is { } registry && !registry.IsService(typeof(T)))
        {
            throw new InvalidOperationException($"MapStepApi needs a {typeof(T).Name} service; register the CA (services.AddPki(...)) before mapping the step-ca API.");
        }
    }
}
