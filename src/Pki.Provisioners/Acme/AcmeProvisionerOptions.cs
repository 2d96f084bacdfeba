namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// The ACME-specific members of a <c>type: ACME</c> entry (step-ca authority/provisioner/acme.go),
/// validated at start-up. Immutable.
/// </summary>
public sealed record AcmeProvisionerOptions
{
    /// <summary>The challenge types step-ca offers by default (<c>challenges</c> absent or empty).</summary>
    public static IReadOnlyList<string> DefaultChallenges { get; } = ["http-01", "dns-01", "tls-alpn-01"];

    /// <summary><c>forceCN</c>: a CSR without a common name gets the first DNS identifier as one.</summary>
    public bool ForceCn { get; init; }

    /// <summary><c>requireEAB</c>: new accounts need an external account binding (RFC 8555 §7.3.4).</summary>
    public bool RequireEab { get; init; }

    /// <summary><c>challenges</c>: the enabled challenge types.</summary>
    public IReadOnlyList<string> Challenges { get; init; } = DefaultChallenges;

    /// <summary><c>termsOfService</c>, shown in the directory's <c>meta</c>.</summary>
    public string? TermsOfService { get; init; }

    /// <summary><c>website</c>, shown in the directory's <c>meta</c>.</summary>
    public string? Website { get; init; }

    /// <summary><c>caaIdentities</c>, shown in the directory's <c>meta</c>.</summary>
    public IReadOnlyList<string> CaaIdentities { get; init; } = [];

    /// <summary><c>rateLimits</c> (ours; step-ca has none): off unless set (<see cref="RateLimits.AcmeRateLimitOptions"/>).</summary>
    public RateLimits.AcmeRateLimitOptions RateLimits { get; init; } = Acme.RateLimits.AcmeRateLimitOptions.None;
}
