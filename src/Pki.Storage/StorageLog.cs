using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Storage;

/// <summary>Source-generated log messages of the storage layer (event IDs 3000–3099 are this project's).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning,
        Message = "db.type \"{Type}\": data written by step-ca in {Type} format is not read; this CA keeps its own SQLite database at {Path}")]
    public static partial void ForeignFormatNotRead(ILogger logger, string type, string path);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Opened SQLite storage at {Path} (db.type \"{Type}\")")]
    public static partial void Opened(ILogger logger, string path, string type);
}
