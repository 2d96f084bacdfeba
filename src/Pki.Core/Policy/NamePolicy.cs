using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Policy;

/// <summary>
/// One name policy — the authority's (<c>authority.policy</c>) or a provisioner's (its
/// <c>policy</c> member) — with the JSON shape of step-ca's authority/policy/options.go:
/// <c>{"x509":{"allow":{…},"deny":{…},"allowWildcardNames":bool},"ssh":{"user":{…},"host":{…}}}</c>.
/// Rules are checked and normalised once, when the policy is built; checks do no parsing of rules.
/// Immutable and thread-safe.
/// </summary>
public sealed class NamePolicy : INamePolicyEngine
{
    internal NamePolicy(X509NamePolicy x509, SshNamePolicy ssh, NamePolicyScope scope)
    {
        X509 = x509;
        Ssh = ssh;
        Scope = scope;
    }

    /// <summary>No policy: allows every name.</summary>
    public static NamePolicy None { get; } = new(X509NamePolicy.None, SshNamePolicy.None, NamePolicyScope.Authority);

    /// <summary>The X.509 rules.</summary>
    public X509NamePolicy X509 { get; }

    /// <summary>The SSH user and host rules.</summary>
    public SshNamePolicy Ssh { get; }

    /// <summary>Where the policy is configured.</summary>
    public NamePolicyScope Scope { get; }

    /// <summary>True when the policy has no rules at all.</summary>
    public bool IsEmpty => X509.IsEmpty && Ssh.IsEmpty;

    /// <summary>
    /// Builds a policy from its JSON object. Keys match case-insensitively and <c>null</c> is the
    /// same as absent, as with Go's encoding/json; a JSON <c>null</c> or undefined element is no
    /// policy. Unknown keys, values of the wrong type and invalid rules are all reported.
    /// </summary>
    /// <param name="policy">The <c>policy</c> object.</param>
    /// <param name="path">Its JSON path, used in error messages (e.g. <c>authority.provisioners[2].policy</c>).</param>
    /// <param name="scope">Whether this is the authority's policy or a provisioner's.</param>
    /// <exception cref="CaConfigException">The policy is invalid; every problem is listed with its path, e.g. <c>authority.policy.x509.allow.dns[1]</c>.</exception>
    public static NamePolicy Parse(JsonElement policy, string path = "authority.policy", NamePolicyScope scope = NamePolicyScope.Authority) =>
        NamePolicyBuilder.Build(policy, path, scope);

    /// <summary>Builds a policy from the ca.json model (<see cref="AuthorityConfig.Policy"/>); null is no policy.</summary>
    /// <param name="config">The loaded <c>policy</c> block; its unknown keys are errors here.</param>
    /// <param name="path">Its JSON path, used in error messages.</param>
    /// <param name="scope">Whether this is the authority's policy or a provisioner's.</param>
    /// <exception cref="CaConfigException">The policy is invalid.</exception>
    public static NamePolicy FromConfig(PolicyConfig? config, string path = "authority.policy", NamePolicyScope scope = NamePolicyScope.Authority) =>
        NamePolicyBuilder.Build(config, path, scope, []);

    /// <inheritdoc />
    public void CheckX509(X509CertificateDescription certificate) => X509.Check(certificate);

    /// <inheritdoc />
    public void CheckSans(IEnumerable<string> sans) => X509.CheckSans(sans);

    /// <inheritdoc />
    public void CheckSshUser(IEnumerable<string> principals) => Ssh.CheckUser(principals);

    /// <inheritdoc />
    public void CheckSshHost(IEnumerable<string> principals) => Ssh.CheckHost(principals);
}
