using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// The step-ca provisioner types this build does not run yet. <c>AddStepApi()</c> registers them
/// as pending (<see cref="Provisioning.PendingProvisionerType"/>): a ca.json entry of one of these
/// types is listed by <c>GET /provisioners</c> and answers 501, as step-ca clients expect of a CA
/// that lacks a feature. Remove a type from here when its provisioner lands.
/// </summary>
public static class PendingProvisionerTypes
{
    /// <summary>OIDC, GCP, AWS, Azure, ACME, X5C, K8sSA, SSHPOP, SCEP, Nebula.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ProvisionerTypeNames.Oidc, ProvisionerTypeNames.Gcp, ProvisionerTypeNames.Aws, ProvisionerTypeNames.Azure, ProvisionerTypeNames.Acme,
        ProvisionerTypeNames.X5C, ProvisionerTypeNames.K8sSA, ProvisionerTypeNames.SshPop, ProvisionerTypeNames.Scep, ProvisionerTypeNames.Nebula,
    ];
}
