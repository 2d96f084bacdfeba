using Smallstep.Pki.Authority;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// Holds the runtime built after the web host (so the authority logs through the host's
/// logging); services resolve the authority, catalog and audiences through it.
/// </summary>
internal sealed class AuthorityHolder
{
    private AuthorityRuntime? _runtime;

    public AuthorityRuntime Runtime
    {
        get => _runtime ?? throw new InvalidOperationException("the authority is not started yet");
        set => _runtime = value;
    }

    public ICertificateAuthority Authority => Runtime.Authority;

    public IProvisionerCatalog Catalog => Runtime.Catalog;

    public Audiences Audiences => Runtime.Audiences;

    public Storage.ITokenReplayStore? Replay { get; set; }

    public TlsServerSetup? Tls { get; set; }
}
