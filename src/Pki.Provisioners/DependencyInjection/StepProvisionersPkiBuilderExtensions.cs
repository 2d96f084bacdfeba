using Smallstep.Pki.Provisioners.Pending;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers every provisioner type step-ca has.</summary>
public static class StepProvisionersPkiBuilderExtensions
{
    /// <summary>
    /// Registers the step-ca provisioner types (idempotent): JWK runs; the types this build does not run
    /// yet are listed by <c>GET /provisioners</c> (secrets redacted) and answer 501, with one start-up
    /// warning per entry, so a step-ca <c>ca.json</c> starts unchanged.
    /// </summary>
    public static PkiBuilder AddStepProvisioners(this PkiBuilder builder)
    {
        builder.AddJwkProvisioners();
        foreach (var registration in PendingProvisionerTypes.All)
        {
            builder.AddProvisionerType(registration);
        }
        return builder;
    }
}
