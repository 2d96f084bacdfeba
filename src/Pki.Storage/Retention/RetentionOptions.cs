using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Scheduled retention, from ca.json's <c>db.retention</c> block (this CA's own field; step-ca ignores
/// it): <c>{"schedule": "24h", "keepExpiredFor": "720h"}</c>, both Go durations. Every
/// <see cref="Schedule"/> the store is pruned of data that expired more than
/// <see cref="KeepExpiredFor"/> ago (<see cref="StorePruner"/>). Without the block nothing is pruned.
/// </summary>
public sealed record RetentionOptions
{
    /// <summary>Shortest schedule accepted.</summary>
    public static readonly TimeSpan MinimumSchedule = TimeSpan.FromMinutes(1);

    /// <summary><c>schedule</c>: time between two prunes. Default 24 h.</summary>
    public TimeSpan Schedule { get; init; } = TimeSpan.FromHours(24);

    /// <summary><c>keepExpiredFor</c>: how long expired data is kept. Default 720 h (30 days); at least <see cref="StorePruner.MinimumAge"/>.</summary>
    public TimeSpan KeepExpiredFor { get; init; } = TimeSpan.FromHours(720);

    /// <summary><c>batchSize</c>: rows deleted per transaction. Default 500.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>The options of a ca.json <c>db</c> block, or null when it has no <c>retention</c> member.</summary>
    /// <exception cref="CaConfigException">The <c>db.retention.*</c> field that is wrong is named.</exception>
    public static RetentionOptions? FromDatabaseConfig(DatabaseConfig? db) =>
        db?.Retention is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } block ? Parse(block) : null;

    /// <summary>Reads a <c>retention</c> object.</summary>
    /// <exception cref="CaConfigException">The <c>db.retention.*</c> field that is wrong is named.</exception>
    public static RetentionOptions Parse(JsonElement block)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("", "must be an object such as {\"schedule\": \"24h\", \"keepExpiredFor\": \"720h\"}");
        }
        var options = new RetentionOptions();
        foreach (var member in block.EnumerateObject())
        {
            options = member.Name switch
            {
                "schedule" => options with { Schedule = Duration(member) },
                "keepExpiredFor" => options with { KeepExpiredFor = Duration(member) },
                "batchSize" => options with { BatchSize = member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt32(out var size) && size is >= 1 and <= 100_000 ? size : throw Invalid(".batchSize", "must be a number from 1 to 100000") },
                _ => throw Invalid("." + member.Name, "is not a known field (schedule, keepExpiredFor, batchSize)"),
            };
        }
        if (options.Schedule < MinimumSchedule)
        {
            throw Invalid(".schedule", $"must be at least {GoDuration.Format(MinimumSchedule)}");
        }
        if (options.KeepExpiredFor < StorePruner.MinimumAge)
        {
            throw Invalid(".keepExpiredFor", $"must be at least {GoDuration.Format(StorePruner.MinimumAge)}");
        }
        return options;
    }

    private static TimeSpan Duration(JsonProperty member) =>
        member.Value.ValueKind == JsonValueKind.String && GoDuration.TryParse(member.Value.GetString(), out var value)
            ? value
            : throw Invalid("." + member.Name, "must be a Go duration such as \"24h\" or \"90m\"");

    // A ca.json mistake: it stops the start naming the field, like every other configuration error.
    private static CaConfigException Invalid(string field, string problem) =>
        new("ca.json", [ConfigDiagnostic.Error($"db.retention{field}", problem)]);
}
