using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Smallstep.Pki.Go;

/// <summary>
/// Go's <c>*time.Location</c>: UTC, a fixed zone (from a parsed offset or abbreviation), or an
/// IANA zone. IANA offsets and daylight time come from <see cref="TimeZoneInfo"/>; the zone
/// abbreviations Go prints and parses (<c>PDT</c>, <c>CET</c>) come from the zone's TZif file,
/// which .NET does not expose. Immutable and thread-safe.
/// </summary>
internal sealed partial class GoLocation
{
    private static readonly ConcurrentDictionary<string, GoLocation> Loaded = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<TimeZoneInfo, GoLocation> LocalZones = new();
    private static readonly DateTimeOffset First = DateTimeOffset.MinValue.AddDays(2);
    private static readonly DateTimeOffset Last = DateTimeOffset.MaxValue.AddDays(-2);

    private readonly TimeZoneInfo? zone;
    private readonly IReadOnlyList<TzifZoneName> names;

    private GoLocation(string name, TimeZoneInfo? zone, IReadOnlyList<TzifZoneName> names)
    {
        Name = name;
        this.zone = zone;
        this.names = names;
    }

    /// <summary>Go's <c>time.UTC</c>.</summary>
    public static GoLocation Utc { get; } = new("UTC", null, [new TzifZoneName("UTC", 0, false)]);

    /// <summary>The location's name (<c>UTC</c>, <c>Local</c>, an IANA name, or a fixed zone's abbreviation).</summary>
    public string Name { get; }

    /// <summary>Go's <c>time.FixedZone(name, offset)</c>.</summary>
    public static GoLocation Fixed(string name, int offsetSeconds) =>
        new(name, null, [new TzifZoneName(name, offsetSeconds, false)]);

    /// <summary>The zone Go would call <c>Local</c>, from the injected time provider's zone (cached per zone object).</summary>
    public static GoLocation FromTimeZone(TimeZoneInfo timeZone) => LocalZones.GetValue(timeZone, zone =>
        zone.Id is "UTC" or "Etc/UTC" or "Etc/Universal" or "Universal" or "Zulu" or "Etc/Zulu"
            ? new GoLocation("Local", null, Utc.names)
            : new GoLocation("Local", zone, IsSafeName(zone.Id) ? TzifZoneName.Read(zone.Id) : []));

    /// <summary>
    /// Go's <c>time.LoadLocation</c>: <c>""</c> and <c>UTC</c> are UTC, <c>Local</c> is
    /// <paramref name="local"/>, anything else an IANA zone name. Names are checked before any
    /// lookup, so a template cannot reach other files.
    /// </summary>
    public static bool TryLoad(string name, GoLocation local, out GoLocation location, out string error)
    {
        error = "";
        location = Utc;
        switch (name)
        {
            case "" or "UTC":
                return true;
            case "Local":
                location = local;
                return true;
        }

        if (name.Contains("..", StringComparison.Ordinal) || name[0] is '/' or '\\')
        {
            error = "time: invalid location name";
            return false;
        }

        if (Loaded.TryGetValue(name, out var cached))
        {
            location = cached;
            return true;
        }

        if (!IsSafeName(name) || !TryFindZone(name, out var zone))
        {
            error = "unknown time zone " + name;
            return false;
        }

        location = Loaded.GetOrAdd(name, new GoLocation(name, zone, TzifZoneName.Read(name)));
        return true;
    }

    /// <summary>Go's <c>lookup</c>: the abbreviation (empty when unknown) and offset in effect at <paramref name="unixSeconds"/>.</summary>
    public (string Abbreviation, int Offset) Lookup(long unixSeconds)
    {
        if (zone is null)
        {
            return (names[0].Abbreviation, names[0].Offset);
        }

        var seconds = Math.Clamp(unixSeconds, First.ToUnixTimeSeconds(), Last.ToUnixTimeSeconds());
        var instant = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var offset = (int)zone.GetUtcOffset(instant).TotalSeconds;
        var daylight = zone.IsDaylightSavingTime(instant);
        var name = names.FirstOrDefault(n => n.Offset == offset && n.IsDaylight == daylight)
            ?? names.FirstOrDefault(n => n.Offset == offset);
        return (name?.Abbreviation ?? "", offset);
    }

    /// <summary>
    /// Go's <c>lookupName</c>: the offset of the zone abbreviated <paramref name="abbreviation"/>,
    /// preferring one in effect around <paramref name="unixSeconds"/>; null when the location has none.
    /// </summary>
    public int? LookupName(string abbreviation, long unixSeconds)
    {
        foreach (var name in names.Where(n => n.Abbreviation == abbreviation))
        {
            var (actual, offset) = Lookup(unchecked(unixSeconds - name.Offset));
            if (actual == abbreviation)
            {
                return offset;
            }
        }

        return names.FirstOrDefault(n => n.Abbreviation == abbreviation)?.Offset;
    }

    private static bool TryFindZone(string name, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or System.Security.SecurityException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    private static bool IsSafeName(string name) =>
        name.Length <= 64 && !name.Contains("..", StringComparison.Ordinal) && ZoneName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$")]
    private static partial Regex ZoneName();
}
