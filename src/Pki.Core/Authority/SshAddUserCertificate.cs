using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Authority;

/// <summary>
/// step-ca's add-user certificate (authority/ssh.go <c>IsValidForAddUser</c>, <c>SignSSHAddUser</c>):
/// a user certificate for <c>ssh.addUserPrincipal</c> whose <c>force-command</c> creates the
/// account of the main certificate's principal on first login.
/// </summary>
internal static class SshAddUserCertificate
{
    /// <summary>
    /// A user certificate with one principal, or two when the second is an email address (OIDC adds
    /// it; <c>@</c> must not be its first character).
    /// </summary>
    public static bool IsValidFor(SshCertificateDescription subject) =>
        subject.Type == SshCertificateType.User
        && (subject.Principals.Count == 1 || (subject.Principals.Count == 2 && subject.Principals[1].IndexOf('@', StringComparison.Ordinal) > 0));

    /// <summary>The add-user certificate for <paramref name="subject"/>: same validity, no extensions.</summary>
    public static SshCertificateDescription Describe(SshCertificateDescription subject, string addUserPrincipal, string addUserCommand)
    {
        var principal = subject.Principals[0];
        return new SshCertificateDescription
        {
            Type = SshCertificateType.User,
            KeyId = principal + "-" + addUserPrincipal,
            Principals = [addUserPrincipal],
            ValidAfter = subject.ValidAfter,
            ValidBefore = subject.ValidBefore,
            CriticalOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["force-command"] = addUserCommand.Replace("<principal>", principal, StringComparison.Ordinal) },
        };
    }
}
