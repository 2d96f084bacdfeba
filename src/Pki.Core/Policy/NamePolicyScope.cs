namespace Smallstep.Pki.Policy;

/// <summary>Where a name policy is configured; it only changes the wording of some refusals, as in step-ca.</summary>
public enum NamePolicyScope
{
    /// <summary>The authority-wide policy (<c>authority.policy</c> in ca.json).</summary>
    Authority,
    /// <summary>A provisioner's own policy (the <c>policy</c> member of a provisioner).</summary>
    Provisioner,
}
