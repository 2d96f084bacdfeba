using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Stands in for a ca.json provisioner whose type this build does not run yet: it is listed by
/// <c>GET /provisioners</c> as configured, and every authorization answers 501 (the host warns
/// about it once at start-up).
/// </summary>
public sealed class DisabledProvisioner(ProvisionerConfig config, ClaimSet claims) : Provisioner(config, claims)
{
    /// <inheritdoc />
    protected override PkiException Unsupported(string operation) =>
        PkiException.NotImplemented($"provisioner {Name} of type {Type} is not supported by this build yet");
}
