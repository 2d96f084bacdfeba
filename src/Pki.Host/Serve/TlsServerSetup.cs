using System.Net.Security;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioners.Http;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// The HTTPS listener's TLS settings: step-ca's (ca/ca.go <c>getTLSConfig</c>), as an embedding app
/// gets them from <see cref="StepCaServerTls"/> / <c>ListenOptions.UseStepCaHttps()</c>.
/// </summary>
internal sealed class TlsServerSetup
{
    private readonly StepCaServerTls _tls;

    // The runtime, not one certificate source: a reload (SIGHUP) brings a new source and trust. It is
    // read per handshake: the start-up step builds it before Kestrel accepts the first connection.
    public TlsServerSetup(Func<AuthorityRuntime> runtime, TlsConfig tls) => _tls = new StepCaServerTls(runtime, tls);

    /// <summary>Server options for one handshake (renews the certificate first when due).</summary>
    public ValueTask<SslServerAuthenticationOptions> OptionsForHandshakeAsync(CancellationToken cancellationToken) => _tls.OptionsForHandshakeAsync(cancellationToken);
}
