using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Everything the authority knows about one provisioner type, registered beside it (in the shape of
/// an ASP.NET Core authentication scheme): its name, its provisioner-extension type code, how an
/// entry becomes a provisioner, and which members <c>GET /provisioners</c> may show. Core holds no
/// list of types: a ca.json entry runs only when a registration for its <c>type</c> exists.
/// Immutable.
/// </summary>
public sealed class ProvisionerTypeRegistration
{
    /// <summary>Registers <paramref name="type"/>.</summary>
    /// <param name="type">The type as step-ca spells it (<c>JWK</c>); ca.json entries match it case-insensitively.</param>
    /// <param name="create">
    /// Binds and validates the entry's options and builds the provisioner; throws
    /// <see cref="CaConfigException"/> naming <see cref="ProvisionerBuildContext.FieldPath"/> members.
    /// </param>
    public ProvisionerTypeRegistration(string type, Func<ProvisionerConfig, ProvisionerBuildContext, IProvisioner> create)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        Type = type;
        Create = create ?? throw new ArgumentNullException(nameof(create));
    }

    /// <summary>The type name as step-ca spells it.</summary>
    public string Type { get; }

    /// <summary>The builder of provisioners of this type.</summary>
    public Func<ProvisionerConfig, ProvisionerBuildContext, IProvisioner> Create { get; }

    /// <summary>The provisioner extension's type code (linkedca numbering: JWK 1 ... Nebula 11); 0 for types step-ca does not know.</summary>
    public int ExtensionTypeCode { get; init; }

    /// <summary>What <c>GET /provisioners</c> shows of an entry: only the members declared public (type and name by default).</summary>
    public ProvisionerListing Listing { get; init; } = ProvisionerListing.TypeAndName;

    /// <summary>
    /// False for a type this build knows but does not run yet: its entries are listed, every request
    /// for them answers 501, and the start-up log says so once per entry.
    /// </summary>
    public bool IsRunnable { get; init; } = true;
}
