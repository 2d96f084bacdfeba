using System.Globalization;

namespace Smallstep.Pki.Time;

/// <summary>
/// step's <c>TimeDuration</c> request value (<c>notBefore</c>, <c>notAfter</c>, <c>validAfter</c>,
/// <c>validBefore</c>): empty (unset), an RFC 3339 instant, or a Go duration relative to a base
/// time (authority/provisioner/timeduration.go).
/// </summary>
public readonly record struct TimeDuration
{
    private TimeDuration(DateTimeOffset? instant, TimeSpan? offset)
    {
        Instant = instant;
        Offset = offset;
    }

    /// <summary>The absolute time, when one was given.</summary>
    public DateTimeOffset? Instant { get; }

    /// <summary>The relative duration, when one was given.</summary>
    public TimeSpan? Offset { get; }

    /// <summary>True when neither an instant nor a duration was given.</summary>
    public bool IsEmpty => Instant is null && Offset is null;

    /// <summary>An absolute instant.</summary>
    public static TimeDuration At(DateTimeOffset instant) => new(instant, null);

    /// <summary>A duration relative to the base time.</summary>
    public static TimeDuration After(TimeSpan offset) => new(null, offset);

    /// <summary>Parses <c>""</c>, RFC 3339 or a Go duration; throws <see cref="FormatException"/>.</summary>
    public static TimeDuration Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return default;
        }
        if (GoDuration.TryParse(text, out var offset))
        {
            return After(offset);
        }
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return At(instant.ToUniversalTime());
        }
        throw new FormatException($"time duration '{text}' is neither an RFC 3339 time nor a duration");
    }

    /// <summary>Resolves against <paramref name="baseTime"/>; null when empty.</summary>
    public DateTimeOffset? Resolve(DateTimeOffset baseTime) => Instant ?? (Offset is { } o ? baseTime + o : null);
}
