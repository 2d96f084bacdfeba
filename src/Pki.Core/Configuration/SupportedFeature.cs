namespace Smallstep.Pki.Configuration;

/// <summary>
/// Registered by the component that runs an optional ca.json feature (the authority registers
/// its name policy, subject template and SSH CA); a configured feature nobody registered is
/// reported with one start-up warning naming its field (<see cref="FeatureSupportCheck"/>).
/// </summary>
/// <param name="Feature">The feature.</param>
public sealed record SupportedFeature(ConfigFeature Feature);
