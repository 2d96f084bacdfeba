using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Smallstep.Pki.Acme;

namespace Smallstep.Pki.Provisioners.Acme.Http;

/// <summary>Maps the ACME server (RFC 8555) at <c>/acme/{provisioner}/...</c> and <c>/2.0/acme/{provisioner}/...</c>, as step-ca does.</summary>
public static class AcmeEndpointRouteBuilderExtensions
{
    /// <summary>Maps every ACME route; needs <c>AddAcme()</c> and an <see cref="IAcmeStore"/>.</summary>
    public static IEndpointRouteBuilder MapAcme(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var prefix in new[] { "/acme/{provisioner}", "/2.0/acme/{provisioner}" })
        {
            var acme = endpoints.MapGroup(prefix);
            acme.MapGet("/directory", AcmeRequestPipeline.Get(call => ValueTask.FromResult(Directory(call)))).WithDisplayName("ACME directory");
            // RFC 8555 §7.2: HEAD answers 200, GET 204; both carry a nonce and Cache-Control: no-store.
            acme.MapMethods("/new-nonce", ["HEAD"], AcmeRequestPipeline.Get(call => NonceAsync(call, 200))).WithDisplayName("ACME new-nonce (HEAD)");
            acme.MapGet("/new-nonce", AcmeRequestPipeline.Get(call => NonceAsync(call, 204))).WithDisplayName("ACME new-nonce");
            // RFC 9773 §4: an unauthenticated GET.
            acme.MapGet("/renewal-info/{id}", AcmeRequestPipeline.Get(c => c.Service<AcmeRenewalInfo>().GetAsync(c.Route("id"), c.Http.RequestAborted)))
                .WithDisplayName("ACME renewalInfo");
            Post(acme, "/new-account", AcmeKeyRule.EmbeddedKey, (c, r) => c.Service<AcmeAccounts>().NewAccountAsync(r, c.Provisioner, c.Links, c.Http.RequestAborted, c.Http.Connection.RemoteIpAddress));
            Post(acme, "/account/{id}", AcmeKeyRule.Account, (c, r) => c.Service<AcmeAccounts>().UpdateAsync(r, c.Route("id"), c.Links, c.Http.RequestAborted));
            Post(acme, "/account/{id}/orders", AcmeKeyRule.Account, (c, r) => c.Service<AcmeOrders>().ListAsync(r, c.Route("id"), c.Links, c.Http.RequestAborted));
            Post(acme, "/key-change", AcmeKeyRule.Account, (c, r) => c.Service<AcmeAccounts>().KeyChangeAsync(r, c.Links, c.Http.RequestAborted));
            Post(acme, "/new-order", AcmeKeyRule.Account, (c, r) => c.Service<AcmeOrders>().NewOrderAsync(r, c.Provisioner, c.Links, c.Http.RequestAborted));
            Post(acme, "/order/{id}", AcmeKeyRule.Account, (c, r) => c.Service<AcmeOrders>().GetAsync(r, c.Route("id"), c.Links, c.Http.RequestAborted));
            Post(acme, "/order/{id}/finalize", AcmeKeyRule.Account,
                (c, r) => c.Service<AcmeCertificates>().FinalizeAsync(r, c.Provisioner, c.Route("id"), c.Links, c.Http.RequestAborted));
            Post(acme, "/authz/{id}", AcmeKeyRule.Account, (c, r) => c.Service<AcmeAuthorizations>().PostAsync(r, c.Route("id"), c.Links, c.Http.RequestAborted));
            Post(acme, "/challenge/{authz}/{id}", AcmeKeyRule.Account,
                (c, r) => c.Service<AcmeAuthorizations>().ChallengeAsync(r, c.Route("authz"), c.Route("id"), c.Links, c.Http.RequestAborted));
            Post(acme, "/certificate/{id}", AcmeKeyRule.Account, (c, r) => c.Service<AcmeCertificates>().DownloadAsync(r, c.Route("id"), c.Http.RequestAborted));
            Post(acme, "/revoke-cert", AcmeKeyRule.Either, (c, r) => c.Service<AcmeCertificates>().RevokeAsync(r, c.Provisioner, c.Http.RequestAborted));
            acme.Map("/{**rest}", AcmeRequestPipeline.Get(_ => throw AcmeErrors.NotFound("resource"))).WithDisplayName("ACME unknown resource");
        }
        return endpoints;
    }

    private static void Post(RouteGroupBuilder group, string pattern, AcmeKeyRule rule, Func<AcmeCall, AcmeVerifiedRequest, ValueTask<AcmeResult>> handler) =>
        group.MapPost(pattern, AcmeRequestPipeline.Post(rule, handler)).WithDisplayName("ACME " + pattern);

    private static async ValueTask<AcmeResult> NonceAsync(AcmeCall call, int status)
    {
        await AcmeRequestPipeline.AddNonceAsync(call.Http).ConfigureAwait(false);
        return new AcmeResult(status);
    }

    // RFC 8555 §7.1.1; meta only when something is set (step-ca).
    private static AcmeResult Directory(AcmeCall call)
    {
        var links = call.Links;
        var options = call.Provisioner.Options;
        return new AcmeResult(200, json =>
        {
            json.WriteStartObject();
            json.WriteString("newNonce", links.NewNonce);
            json.WriteString("newAccount", links.NewAccount);
            json.WriteString("newOrder", links.NewOrder);
            json.WriteString("revokeCert", links.RevokeCert);
            json.WriteString("keyChange", links.KeyChange);
            json.WriteString("renewalInfo", links.RenewalInfo);
            if (options.TermsOfService is not null || options.Website is not null || options.CaaIdentities.Count > 0 || options.RequireEab)
            {
                json.WriteStartObject("meta");
                if (options.TermsOfService is { } terms)
                {
                    json.WriteString("termsOfService", terms);
                }
                if (options.Website is { } website)
                {
                    json.WriteString("website", website);
                }
                if (options.CaaIdentities.Count > 0)
                {
                    json.WriteStartArray("caaIdentities");
                    foreach (var identity in options.CaaIdentities)
                    {
                        json.WriteStringValue(identity);
                    }
                    json.WriteEndArray();
                }
                if (options.RequireEab)
                {
                    json.WriteBoolean("externalAccountRequired", true);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        });
    }
}
