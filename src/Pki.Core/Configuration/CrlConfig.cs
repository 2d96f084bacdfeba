using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>The ca.json <c>crl</c> block (authority/config/config.go <c>CRLConfig</c>).</summary>
public sealed record CrlConfig
{
    /// <summary>Cache duration used when CRLs are enabled and <c>cacheDuration</c> is absent.</summary>
    public static TimeSpan DefaultCacheDuration { get; } = TimeSpan.FromHours(24);

    /// <summary><c>enabled</c>: generate and serve a CRL.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>generateOnRevoke</c>: regenerate on every revocation.</summary>
    public bool GenerateOnRevoke { get; init; }

    /// <summary><c>cacheDuration</c> as configured (null when absent).</summary>
    public TimeSpan? CacheDuration { get; init; }

    /// <summary><c>renewPeriod</c> as configured (null when absent).</summary>
    public TimeSpan? RenewPeriod { get; init; }

    /// <summary><c>idpURL</c>: issuing distribution point; default <c>https://&lt;dnsNames[0]&gt;/1.0/crl</c>.</summary>
    public string? IdpUrl { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    /// <summary>The CRL lifetime: <see cref="CacheDuration"/> or 24h.</summary>
    public TimeSpan EffectiveCacheDuration => CacheDuration ?? DefaultCacheDuration;

    /// <summary>
    /// How often the CRL is regenerated: <see cref="RenewPeriod"/> when positive, else two thirds
    /// of the cache duration (<c>CRLConfig.TickerDuration</c>).
    /// </summary>
    public TimeSpan EffectiveRenewPeriod => RenewPeriod is { } p && p > TimeSpan.Zero
        ? p
        : TimeSpan.FromTicks(EffectiveCacheDuration.Ticks / 3 * 2);

    internal static CrlConfig Read(ConfigObjectReader r) => new()
    {
        Enabled = r.Boolean("enabled") ?? false,
        GenerateOnRevoke = r.Boolean("generateOnRevoke") ?? false,
        CacheDuration = r.Duration("cacheDuration"),
        RenewPeriod = r.Duration("renewPeriod"),
        IdpUrl = r.String("idpURL"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteBoolean("enabled", Enabled);
        w.TrueIfSet("generateOnRevoke", GenerateOnRevoke);
        w.DurationIfSet("cacheDuration", CacheDuration);
        w.DurationIfSet("renewPeriod", RenewPeriod);
        w.StringIfSet("idpURL", IdpUrl);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}
