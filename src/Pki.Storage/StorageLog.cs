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

    // Only the database name is logged: the DSN may carry a password.
    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Opened the {Type} database {Database}")]
    public static partial void OpenedServer(ILogger logger, string type, string database);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "ca.json has no db block: certificates are not stored and used tokens are remembered only until the process exits")]
    public static partial void NoDatabase(ILogger logger);
}
