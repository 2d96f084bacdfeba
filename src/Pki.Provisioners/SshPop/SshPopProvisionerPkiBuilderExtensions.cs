using Smallstep.Pki.Provisioners.SshPop;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SSHPOP provisioners.</summary>
public static class SshPopProvisionerPkiBuilderExtensions
{
    /// <summary>
    /// Lets entries of type SSHPOP run (idempotent; <c>AddStepProvisioners()</c> includes it). They
    /// need the SSH authority (ca.json <c>ssh</c>) and <c>MapStepApi()</c> for <c>/ssh/renew</c>,
    /// <c>/ssh/rekey</c> and <c>/ssh/revoke</c>.
    /// </summary>
    public static PkiBuilder AddSshPopProvisioners(this PkiBuilder builder) => builder.AddProvisionerType(SshPopProvisionerType.Registration);
}
