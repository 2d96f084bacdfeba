using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Ssh.Config;

/// <summary>
/// The keys configuration templates see as <c>.Step.SSH</c> (templates/values.go <c>StepSSH</c>,
/// filled by authority/authority.go <c>init</c>): the active host and user CA keys, and the
/// federated keys without the active one.
/// </summary>
/// <param name="HostKey">The key that signs host certificates, or null.</param>
/// <param name="UserKey">The key that signs user certificates, or null.</param>
/// <param name="HostFederatedKeys">Other host CA keys clients should trust.</param>
/// <param name="UserFederatedKeys">Other user CA keys hosts should trust.</param>
public sealed record SshTemplateKeys(SshPublicKey? HostKey, SshPublicKey? UserKey, IReadOnlyList<SshPublicKey> HostFederatedKeys, IReadOnlyList<SshPublicKey> UserFederatedKeys)
{
    /// <summary>No keys.</summary>
    public static SshTemplateKeys None { get; } = new(null, null, [], []);

    /// <summary><c>templates.Step</c> as a struct value: <c>.SSH.HostKey</c>, <c>.SSH.UserFederatedKeys</c>, ...</summary>
    internal TemplateStruct ToTemplateValue() => new("templates.Step",
    [
        new TemplateStructField("SSH", new TemplateStruct("templates.StepSSH",
        [
            new TemplateStructField("HostKey", HostKey is null ? null : SshKeyTemplateValue.From(HostKey), "HostKey"),
            new TemplateStructField("UserKey", UserKey is null ? null : SshKeyTemplateValue.From(UserKey), "UserKey"),
            new TemplateStructField("HostFederatedKeys", HostFederatedKeys.Select(k => (object?)SshKeyTemplateValue.From(k)).ToList(), "HostFederatedKeys", NilWhenEmpty: true),
            new TemplateStructField("UserFederatedKeys", UserFederatedKeys.Select(k => (object?)SshKeyTemplateValue.From(k)).ToList(), "UserFederatedKeys", NilWhenEmpty: true),
        ]), "SSH"),
    ]);
}
