using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// step-ca's <c>SignSSHOptions</c> (authority/provisioner/sign_ssh_options.go): what a
/// <c>POST /ssh/sign</c> body asks for, and what a token's <c>step.ssh</c> claim allows. Empty
/// members mean "not given". Immutable.
/// </summary>
public sealed record SshSignOptions
{
    /// <summary><c>certType</c>: <c>user</c>, <c>host</c> or empty.</summary>
    public string CertType { get; init; } = "";

    /// <summary><c>keyID</c>.</summary>
    public string KeyId { get; init; } = "";

    /// <summary><c>principals</c>.</summary>
    public IReadOnlyList<string> Principals { get; init; } = [];

    /// <summary><c>validAfter</c>: an instant or a duration from now.</summary>
    public TimeDuration ValidAfter { get; init; }

    /// <summary><c>validBefore</c>: an instant or a duration from now.</summary>
    public TimeDuration ValidBefore { get; init; }

    /// <summary><c>templateData</c>: the request's data for custom templates (<c>.Insecure.User</c>).</summary>
    public JsonElement? TemplateData { get; init; }

    /// <summary>The type asked for, or null when <see cref="CertType"/> is empty.</summary>
    /// <exception cref="PkiException">BadRequest: neither <c>user</c> nor <c>host</c>.</exception>
    public SshCertificateType? Type => CertType switch
    {
        "" => null,
        "user" => SshCertificateType.User,
        "host" => SshCertificateType.Host,
        _ => throw PkiException.BadRequest($"certType '{CertType}' is not valid"),
    };

    /// <summary><c>SignSSHOptions.Validate</c>: a known type and no empty principal.</summary>
    /// <exception cref="PkiException">BadRequest.</exception>
    public void Validate()
    {
        _ = Type;
        if (Principals.Any(string.IsNullOrEmpty))
        {
            throw PkiException.BadRequest("principals cannot contain empty values");
        }
    }

    /// <summary>
    /// <c>SignSSHOptions.match</c>: this (the allowed options) against <paramref name="requested"/>;
    /// members empty on either side are not compared, principals must be a case-insensitive subset.
    /// The key id is never compared, as in step-ca.
    /// </summary>
    /// <exception cref="PkiException">Forbidden: a requested value contradicts an allowed one.</exception>
    public void Match(SshSignOptions requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (CertType.Length > 0 && requested.CertType.Length > 0 && CertType != requested.CertType)
        {
            throw PkiException.Forbidden($"ssh certificate type does not match - got {requested.CertType}, want {CertType}");
        }
        if (Principals.Count > 0 && requested.Principals.Count > 0 && !ContainsAll(Principals, requested.Principals))
        {
            throw PkiException.Forbidden($"ssh certificate principals does not match - got [{string.Join(' ', requested.Principals)}], want [{string.Join(' ', Principals)}]");
        }
        if (!IsZero(ValidAfter) && !IsZero(requested.ValidAfter) && ValidAfter != requested.ValidAfter)
        {
            throw PkiException.Forbidden("ssh certificate validAfter does not match");
        }
        if (!IsZero(ValidBefore) && !IsZero(requested.ValidBefore) && ValidBefore != requested.ValidBefore)
        {
            throw PkiException.Forbidden("ssh certificate validBefore does not match");
        }
    }

    /// <summary>Go's <c>TimeDuration.IsZero</c>: nothing given, or a zero duration.</summary>
    public static bool IsZero(TimeDuration value) => value.Instant is null && (value.Offset ?? TimeSpan.Zero) == TimeSpan.Zero;

    /// <summary>The instant a time option stands for at <paramref name="now"/> (<c>RelativeTime</c>), whole seconds; null when zero.</summary>
    public static DateTimeOffset? Resolve(TimeDuration value, DateTimeOffset now) =>
        IsZero(value) ? null : DateTimeOffset.FromUnixTimeSeconds(value.Resolve(now)!.Value.ToUnixTimeSeconds());

    private static bool ContainsAll(IReadOnlyList<string> group, IReadOnlyList<string> subgroup)
    {
        var allowed = new HashSet<string>(group.Select(p => p.ToLowerInvariant()), StringComparer.Ordinal);
        return subgroup.Count <= group.Count && subgroup.All(p => allowed.Contains(p.ToLowerInvariant()));
    }
}
