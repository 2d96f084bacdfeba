using Smallstep.Pki.Time;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// The effective claims of a provisioner: every value set. Built as
/// <c>ClaimSet.Global.Merge(authority.claims).Merge(provisioner.claims)</c>, with step-ca's
/// <c>Claimer</c> rules (authority/provisioner/claims.go, authority/config/config.go).
/// </summary>
public sealed record ClaimSet
{
    /// <summary>step-ca's built-in claims (<c>config.GlobalProvisionerClaims</c>).</summary>
    public static ClaimSet Global { get; } = new()
    {
        MinTlsCertDuration = TimeSpan.FromMinutes(5),
        MaxTlsCertDuration = TimeSpan.FromHours(24),
        DefaultTlsCertDuration = TimeSpan.FromHours(24),
        MinUserSshCertDuration = TimeSpan.FromMinutes(5),
        MaxUserSshCertDuration = TimeSpan.FromHours(24),
        DefaultUserSshCertDuration = TimeSpan.FromHours(16),
        MinHostSshCertDuration = TimeSpan.FromMinutes(5),
        MaxHostSshCertDuration = TimeSpan.FromDays(30),
        DefaultHostSshCertDuration = TimeSpan.FromDays(30),
        EnableSshCa = false,
        DisableRenewal = false,
        AllowRenewalAfterExpiry = false,
        DisableSmallstepExtensions = false,
    };

    /// <summary>Shortest X.509 certificate allowed.</summary>
    public required TimeSpan MinTlsCertDuration { get; init; }

    /// <summary>Longest X.509 certificate allowed.</summary>
    public required TimeSpan MaxTlsCertDuration { get; init; }

    /// <summary>X.509 validity when the request asks for none.</summary>
    public required TimeSpan DefaultTlsCertDuration { get; init; }

    /// <summary>Shortest SSH user certificate allowed.</summary>
    public required TimeSpan MinUserSshCertDuration { get; init; }

    /// <summary>Longest SSH user certificate allowed.</summary>
    public required TimeSpan MaxUserSshCertDuration { get; init; }

    /// <summary>SSH user certificate validity when the request asks for none.</summary>
    public required TimeSpan DefaultUserSshCertDuration { get; init; }

    /// <summary>Shortest SSH host certificate allowed.</summary>
    public required TimeSpan MinHostSshCertDuration { get; init; }

    /// <summary>Longest SSH host certificate allowed.</summary>
    public required TimeSpan MaxHostSshCertDuration { get; init; }

    /// <summary>SSH host certificate validity when the request asks for none.</summary>
    public required TimeSpan DefaultHostSshCertDuration { get; init; }

    /// <summary>Whether SSH certificates may be signed.</summary>
    public required bool EnableSshCa { get; init; }

    /// <summary>Whether renewal is refused.</summary>
    public required bool DisableRenewal { get; init; }

    /// <summary>Whether an expired certificate may still be renewed.</summary>
    public required bool AllowRenewalAfterExpiry { get; init; }

    /// <summary>Whether the provisioner X.509 extension is left out.</summary>
    public required bool DisableSmallstepExtensions { get; init; }

    /// <summary>
    /// Applies <paramref name="claims"/> over this set. A member that is set wins; an unset min/max
    /// is stretched to include an explicitly set default that lies outside this set's range (so a
    /// provisioner with only <c>defaultTLSCertDuration: "48h"</c> gets a 48h max). Null returns this set.
    /// </summary>
    public ClaimSet Merge(ClaimsConfig? claims)
    {
        if (claims is null)
        {
            return this;
        }
        var (minTls, defTls, maxTls) = MergeRange(claims.MinTlsCertDuration, claims.DefaultTlsCertDuration, claims.MaxTlsCertDuration, MinTlsCertDuration, DefaultTlsCertDuration, MaxTlsCertDuration);
        var (minUser, defUser, maxUser) = MergeRange(claims.MinUserSshCertDuration, claims.DefaultUserSshCertDuration, claims.MaxUserSshCertDuration, MinUserSshCertDuration, DefaultUserSshCertDuration, MaxUserSshCertDuration);
        var (minHost, defHost, maxHost) = MergeRange(claims.MinHostSshCertDuration, claims.DefaultHostSshCertDuration, claims.MaxHostSshCertDuration, MinHostSshCertDuration, DefaultHostSshCertDuration, MaxHostSshCertDuration);
        return new ClaimSet
        {
            MinTlsCertDuration = minTls,
            MaxTlsCertDuration = maxTls,
            DefaultTlsCertDuration = defTls,
            MinUserSshCertDuration = minUser,
            MaxUserSshCertDuration = maxUser,
            DefaultUserSshCertDuration = defUser,
            MinHostSshCertDuration = minHost,
            MaxHostSshCertDuration = maxHost,
            DefaultHostSshCertDuration = defHost,
            EnableSshCa = claims.EnableSshCa ?? EnableSshCa,
            DisableRenewal = claims.DisableRenewal ?? DisableRenewal,
            AllowRenewalAfterExpiry = claims.AllowRenewalAfterExpiry ?? AllowRenewalAfterExpiry,
            DisableSmallstepExtensions = claims.DisableSmallstepExtensions ?? DisableSmallstepExtensions,
        };
    }

    /// <summary>
    /// Checks the ranges. X.509 problems are errors, as in step-ca (<c>Claimer.Validate</c>: each
    /// duration &gt; 0 and min ≤ default ≤ max); step-ca does not check the SSH ranges at startup, so
    /// those are warnings. Each diagnostic names a field under <paramref name="claimsPath"/>,
    /// preferring one that <paramref name="configured"/> (the layer that produced this set) sets.
    /// </summary>
    public IReadOnlyList<ConfigDiagnostic> Validate(string claimsPath, ClaimsConfig? configured = null)
    {
        ArgumentNullException.ThrowIfNull(claimsPath);
        var problems = new List<ConfigDiagnostic>();
        var c = configured ?? new ClaimsConfig();
        CheckRange(problems, claimsPath, ConfigDiagnosticSeverity.Error, "TLSCertDuration",
            (MinTlsCertDuration, c.MinTlsCertDuration is not null),
            (DefaultTlsCertDuration, c.DefaultTlsCertDuration is not null),
            (MaxTlsCertDuration, c.MaxTlsCertDuration is not null));
        CheckRange(problems, claimsPath, ConfigDiagnosticSeverity.Warning, "UserSSHCertDuration",
            (MinUserSshCertDuration, c.MinUserSshCertDuration is not null),
            (DefaultUserSshCertDuration, c.DefaultUserSshCertDuration is not null),
            (MaxUserSshCertDuration, c.MaxUserSshCertDuration is not null));
        CheckRange(problems, claimsPath, ConfigDiagnosticSeverity.Warning, "HostSSHCertDuration",
            (MinHostSshCertDuration, c.MinHostSshCertDuration is not null),
            (DefaultHostSshCertDuration, c.DefaultHostSshCertDuration is not null),
            (MaxHostSshCertDuration, c.MaxHostSshCertDuration is not null));
        return problems;
    }

    /// <summary>Every member as a <see cref="ClaimsConfig"/> (what step-ca's <c>Claimer.Claims()</c> returns).</summary>
    public ClaimsConfig ToClaimsConfig() => new()
    {
        MinTlsCertDuration = MinTlsCertDuration,
        MaxTlsCertDuration = MaxTlsCertDuration,
        DefaultTlsCertDuration = DefaultTlsCertDuration,
        MinUserSshCertDuration = MinUserSshCertDuration,
        MaxUserSshCertDuration = MaxUserSshCertDuration,
        DefaultUserSshCertDuration = DefaultUserSshCertDuration,
        MinHostSshCertDuration = MinHostSshCertDuration,
        MaxHostSshCertDuration = MaxHostSshCertDuration,
        DefaultHostSshCertDuration = DefaultHostSshCertDuration,
        EnableSshCa = EnableSshCa,
        DisableRenewal = DisableRenewal,
        AllowRenewalAfterExpiry = AllowRenewalAfterExpiry,
        DisableSmallstepExtensions = DisableSmallstepExtensions,
    };

    // Claimer.Min*/Max*/Default*: a set value wins; an unset bound follows a set default that
    // falls outside the inherited bound.
    private static (TimeSpan Min, TimeSpan Default, TimeSpan Max) MergeRange(
        TimeSpan? min, TimeSpan? def, TimeSpan? max, TimeSpan baseMin, TimeSpan baseDefault, TimeSpan baseMax)
    {
        var mergedMin = min ?? (def is { } d1 && d1 < baseMin ? d1 : baseMin);
        var mergedMax = max ?? (def is { } d2 && d2 > baseMax ? d2 : baseMax);
        return (mergedMin, def ?? baseDefault, mergedMax);
    }

    private static void CheckRange(
        List<ConfigDiagnostic> problems, string claimsPath, ConfigDiagnosticSeverity severity, string suffix,
        (TimeSpan Value, bool Set) min, (TimeSpan Value, bool Set) def, (TimeSpan Value, bool Set) max)
    {
        var minName = "min" + suffix;
        var defName = "default" + suffix;
        var maxName = "max" + suffix;
        var positive = true;
        foreach (var (name, value) in new[] { (minName, min.Value), (maxName, max.Value), (defName, def.Value) })
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add(new(severity, $"{claimsPath}.{name}", $"must be greater than 0, got {GoDuration.Format(value)}"));
                positive = false;
            }
        }
        if (!positive)
        {
            return;
        }
        OrderCheck(problems, claimsPath, severity, (minName, min), (maxName, max));
        OrderCheck(problems, claimsPath, severity, (minName, min), (defName, def));
        OrderCheck(problems, claimsPath, severity, (defName, def), (maxName, max));
    }

    // Reports lower > upper against the field this layer sets (the upper one when both or neither).
    private static void OrderCheck(
        List<ConfigDiagnostic> problems, string claimsPath, ConfigDiagnosticSeverity severity,
        (string Name, (TimeSpan Value, bool Set) Claim) lower, (string Name, (TimeSpan Value, bool Set) Claim) upper)
    {
        if (lower.Claim.Value <= upper.Claim.Value)
        {
            return;
        }
        var lowerText = GoDuration.Format(lower.Claim.Value);
        var upperText = GoDuration.Format(upper.Claim.Value);
        problems.Add(lower.Claim.Set && !upper.Claim.Set
            ? new(severity, $"{claimsPath}.{lower.Name}", $"{lowerText} is greater than {upper.Name} {upperText}")
            : new(severity, $"{claimsPath}.{upper.Name}", $"{upperText} is less than {lower.Name} {lowerText}"));
    }
}
