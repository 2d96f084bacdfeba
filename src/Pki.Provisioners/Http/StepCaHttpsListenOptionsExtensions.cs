using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Authority;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>Serves a Kestrel endpoint over HTTPS the way step-ca's listener does.</summary>
public static class StepCaHttpsListenOptionsExtensions
{
    /// <summary>
    /// Makes this endpoint HTTPS with <see cref="StepCaServerTls"/>: the CA's own TLS certificate
    /// (CN = ca.json <c>commonName</c>, SANs = <c>dnsNames</c>, renewed when due), optional client
    /// certificates verified against the CA's roots (so <c>POST /renew</c> over mutual TLS works),
    /// and the ca.json <c>tls</c> versions and cipher suites. The authority is looked up in the
    /// application's services (<see cref="AuthorityRuntime"/>, registered by <c>FromCaJson</c>) at the
    /// first handshake, so the call can be made while configuring Kestrel, before the app is built.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 9443, listen => listen.UseStepCaHttps()));
    /// </code>
    /// </example>
    /// <param name="listen">The endpoint.</param>
    /// <returns><paramref name="listen"/>.</returns>
    public static ListenOptions UseStepCaHttps(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var services = listen.ApplicationServices;
        StepCaServerTls? tls = null;
        // Resolved at the first handshake, not cached on failure: a handshake before the CA is
        // composed fails alone. Two racing first handshakes may each create settings; both are equal.
        StepCaServerTls Settings()
        {
            if (tls is null)
            {
                var runtime = services.GetService<AuthorityRuntime>()
                    ?? throw new InvalidOperationException("UseStepCaHttps needs the CA's AuthorityRuntime service; compose the CA with services.AddPki()...FromCaJson(...) first.");
                tls = new StepCaServerTls(() => runtime, runtime.Loaded.Config.EffectiveTls);
            }
            return tls;
        }
        return listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context => Settings().OptionsForHandshakeAsync(context.CancellationToken),
        });
    }
}
