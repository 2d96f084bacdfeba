using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>Log messages of scheduled retention (event IDs 3050–3059).</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 3050, Level = LogLevel.Information, Message = "Retention: removed {Removed} rows of data expired before {Cutoff:u} ({Tables})")]
    public static partial void Completed(ILogger logger, long removed, DateTimeOffset cutoff, string tables);

    [LoggerMessage(EventId = 3051, Level = LogLevel.Error, Message = "Retention: the prune failed; it runs again at the next schedule")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3052, Level = LogLevel.Warning, Message = "Retention: the previous prune is still running; this run is skipped")]
    public static partial void Skipped(ILogger logger);

    [LoggerMessage(EventId = 3053, Level = LogLevel.Information, Message = "Retention: pruning every {Schedule}, keeping expired data for {KeepExpiredFor}")]
    public static partial void Scheduled(ILogger logger, string schedule, string keepExpiredFor);
}
