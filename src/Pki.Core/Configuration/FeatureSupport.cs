namespace Smallstep.Pki.Configuration;

/// <summary>
/// What the running build can serve; <see cref="FeatureSupportCheck"/> compares a ca.json with it.
/// Type names are compared case-insensitively. A running authority derives it from its
/// registrations (<see cref="Startup.RegisteredSupport.ToFeatureSupport"/>: provisioner factories,
/// key managers, storage providers, <see cref="SupportedFeature"/>s); nothing adds to it by hand.
/// </summary>
public sealed class FeatureSupport
{
    /// <summary>Provisioner types (<see cref="ProvisionerTypeNames"/>); others are ignored with a warning.</summary>
    public ISet<string> ProvisionerTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>KMS types (<see cref="KmsConfig.EffectiveType"/>); others stop the CA.</summary>
    public ISet<string> KmsTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>db.type</c> values; others stop the CA.</summary>
    public ISet<string> DatabaseTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>authority.type</c> values (<see cref="AuthorityConfig.EffectiveType"/>); others stop the CA.</summary>
    public ISet<string> AuthorityTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>authority.deploymentType</c> values (empty = standalone); others stop the CA.</summary>
    public ISet<string> DeploymentTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Optional features; a configured feature not listed here is ignored with a warning.</summary>
    public ISet<ConfigFeature> Features { get; } = new HashSet<ConfigFeature>();

    /// <summary>
    /// A fixed baseline for checks that run without an application's registrations: JWK
    /// provisioners, softkms, step-ca's embedded database names, this CA signing itself in a
    /// standalone deployment, and no optional feature.
    /// </summary>
    public static FeatureSupport CreateDefault()
    {
        var support = new FeatureSupport();
        support.ProvisionerTypes.Add(ProvisionerTypeNames.Jwk);
        support.KmsTypes.Add("softkms");
        foreach (var type in new[] { "badger", "badgerv1", "badgerv2", "bbolt" })
        {
            support.DatabaseTypes.Add(type);
        }
        support.AuthorityTypes.Add("softcas");
        support.DeploymentTypes.Add(string.Empty);
        support.DeploymentTypes.Add("standalone");
        return support;
    }
}
