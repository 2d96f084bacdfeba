namespace Smallstep.Pki.Storage.Query;

/// <summary>
/// Which stored certificates to return. Every filter that is set must match (AND); an empty query
/// returns everything. Times compare as instants; <see cref="CertificateRecord.NotAfter"/> is
/// inclusive, as in RFC 5280 §4.1.2.5.
/// </summary>
public sealed record CertificateQuery
{
    /// <summary>Only this kind; null for both.</summary>
    public CertificateKind? Kind { get; init; }

    /// <summary>Exactly this decimal serial (a point read, not a scan).</summary>
    public string? Serial { get; init; }

    /// <summary>Decimal serials starting with these digits (a range scan).</summary>
    public string? SerialPrefix { get; init; }

    /// <summary>Case-insensitive substring of the subject (SSH: key ID) or of any SAN (SSH: principal).</summary>
    public string? Contains { get; init; }

    /// <summary>The issuing provisioner's name or ID (exact, case-sensitive). SSH certificates carry no
    /// provisioner, so setting this excludes them.</summary>
    public string? Provisioner { get; init; }

    /// <summary>Only certificates whose validity starts at or after this instant.</summary>
    public DateTimeOffset? IssuedAfter { get; init; }

    /// <summary>Only certificates whose validity starts before this instant.</summary>
    public DateTimeOffset? IssuedBefore { get; init; }

    /// <summary>Only certificates whose validity ends at or after this instant.</summary>
    public DateTimeOffset? ExpiresAfter { get; init; }

    /// <summary>Only certificates whose validity ends before this instant.</summary>
    public DateTimeOffset? ExpiresBefore { get; init; }

    /// <summary>Only certificates valid at this instant (<c>notBefore ≤ t ≤ notAfter</c>), revoked or not.</summary>
    public DateTimeOffset? ValidAt { get; init; }

    /// <summary>True: only revoked; false: only not revoked; null: both.</summary>
    public bool? Revoked { get; init; }

    /// <summary>Whether the query includes certificates of <paramref name="kind"/>.</summary>
    internal bool Includes(CertificateKind kind) => (Kind ?? kind) == kind && (kind == CertificateKind.X509 || Provisioner is null);

    /// <summary>The validity filters.</summary>
    internal bool MatchesValidity(DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        (IssuedAfter is not { } ia || notBefore >= ia)
        && (IssuedBefore is not { } ib || notBefore < ib)
        && (ExpiresAfter is not { } ea || notAfter >= ea)
        && (ExpiresBefore is not { } eb || notAfter < eb)
        && (ValidAt is not { } at || (notBefore <= at && at <= notAfter));

    /// <summary>The subject/SAN substring filter.</summary>
    internal bool MatchesText(string subject, IReadOnlyList<string> names) =>
        Contains is not { Length: > 0 } text
        || subject.Contains(text, StringComparison.OrdinalIgnoreCase)
        || names.Any(n => n.Contains(text, StringComparison.OrdinalIgnoreCase));

    /// <summary>The provisioner filter.</summary>
    internal bool MatchesProvisioner(ProvisionerReference? provisioner) =>
        Provisioner is null
        || (provisioner is not null && (string.Equals(provisioner.Name, Provisioner, StringComparison.Ordinal) || string.Equals(provisioner.Id, Provisioner, StringComparison.Ordinal)));
}
