namespace Smallstep.Pki.Provisioning;

/// <summary>
/// A provisioner type this build knows but does not run yet: a ca.json entry of this type is
/// listed by <c>GET /provisioners</c>, answers 501 and is reported with one start-up warning
/// (<see cref="DisabledProvisioner"/>). A ca.json type that has neither a registered
/// <see cref="IProvisionerFactory"/> nor a pending registration stops the start.
/// </summary>
/// <param name="Type">The provisioner type (case-insensitive).</param>
public sealed record PendingProvisionerType(string Type);
