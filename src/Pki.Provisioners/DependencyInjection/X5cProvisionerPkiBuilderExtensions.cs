using Smallstep.Pki.Provisioners.X5c;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers X5C provisioners.</summary>
public static class X5cProvisionerPkiBuilderExtensions
{
    /// <summary>Lets entries of type X5C run, from ca.json or any other source (idempotent).</summary>
    public static PkiBuilder AddX5cProvisioners(this PkiBuilder builder) => builder.AddProvisionerType(X5cProvisionerType.Registration);

    /// <summary>
    /// Adds an X5C provisioner in code, next to those of ca.json, with named options
    /// <paramref name="name"/>; validated at start-up like a ca.json entry, messages naming
    /// <c>AddX5cProvisioner("name")</c>.
    /// </summary>
    public static PkiBuilder AddX5cProvisioner(this PkiBuilder builder, string name, Action<X5cProvisionerOptions> configure) =>
        builder.AddX5cProvisioners().AddProvisioner("X5C", name, configure, $"AddX5cProvisioner(\"{name}\")");
}
