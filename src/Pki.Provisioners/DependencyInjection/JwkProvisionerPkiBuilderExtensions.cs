using Smallstep.Pki.Provisioners.Jwk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers JWK provisioners.</summary>
public static class JwkProvisionerPkiBuilderExtensions
{
    /// <summary>Lets entries of type JWK run, from ca.json or any other source (idempotent).</summary>
    public static PkiBuilder AddJwkProvisioners(this PkiBuilder builder) => builder.AddProvisionerType(JwkProvisionerType.Registration);

    /// <summary>
    /// Adds a JWK provisioner in code, next to those of ca.json, with named options
    /// <paramref name="name"/>; validated at start-up like a ca.json entry, messages naming
    /// <c>AddJwkProvisioner("name")</c>.
    /// </summary>
    public static PkiBuilder AddJwkProvisioner(this PkiBuilder builder, string name, Action<JwkProvisionerOptions> configure) =>
        builder.AddJwkProvisioners().AddProvisioner("JWK", name, configure, $"AddJwkProvisioner(\"{name}\")");
}
