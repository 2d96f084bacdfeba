namespace Smallstep.Pki.Storage.Sqlite;

/// <summary>Settings of a <see cref="SqliteKeyValueStore"/>.</summary>
public sealed record SqliteKeyValueStoreOptions
{
    /// <summary>The database file; created (but not its folder) when missing.</summary>
    public required string Path { get; init; }

    /// <summary>Tables created when the store opens, e.g. <see cref="StepTables.Authority"/>.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>
    /// How long a statement waits for a lock held by another process (SQLite <c>busy_timeout</c>)
    /// before failing. Default 5 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most read connections kept open at once. Default: twice the processor count, at least 4.</summary>
    public int MaxReadConnections { get; init; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>
    /// Most queued writes committed together in one transaction (group commit). Default 1024; 1
    /// commits every write on its own.
    /// </summary>
    public int MaxWritesPerTransaction { get; init; } = 1024;
}
