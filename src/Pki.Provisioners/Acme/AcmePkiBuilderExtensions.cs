using Smallstep.Pki.Provisioners.Acme;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ACME provisioner type and the ACME server's services.</summary>
public static class AcmePkiBuilderExtensions
{
    /// <summary>
    /// Lets entries of type ACME run (idempotent), registers the
    /// background challenge validation (an <see cref="Smallstep.Pki.Acme.IAcmeStore"/> must be registered:
    /// <c>AddAcmeStorage()</c> of Smallstep.Pki.Storage); map the routes
    /// with <c>MapAcme()</c>. Challenge validators are registered separately (<c>IAcmeChallengeValidator</c>).
    /// </summary>
    public static PkiBuilder AddAcme(this PkiBuilder builder, Action<AcmeServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddProvisionerType(AcmeProvisionerType.Registration);
        var options = builder.Services.AddOptions<AcmeServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        AcmeServices.Add(builder.Services);
        return builder;
    }
}
