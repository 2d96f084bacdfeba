using Microsoft.Data.Sqlite;

namespace Smallstep.Pki.Storage.Sqlite;

/// <summary>Opens the writer and reader connections of one database file with the right pragmas.</summary>
internal sealed class SqliteConnections(SqliteKeyValueStoreOptions options, Func<string, SqliteTableSql> sql)
{
    /// <summary>
    /// Opens the single writer connection: WAL so readers never block the writer and a killed process
    /// leaves no partial transaction (sqlite.org/wal.html), and <c>synchronous=FULL</c> so a commit is
    /// fsynced before it returns — in WAL mode NORMAL could lose the last commits on power loss.
    /// </summary>
    public SqliteSession OpenWriter()
    {
        var session = Open(SqliteOpenMode.ReadWriteCreate);
        try
        {
            using var journalMode = new SqliteCommand("PRAGMA journal_mode = WAL", session.Connection);
            var mode = journalMode.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode (journal_mode is {mode}) for {options.Path}");
            }
            session.Execute("PRAGMA synchronous = FULL");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Opens a read-only connection; in WAL mode it sees the last commit made before each read starts.</summary>
    public SqliteSession OpenReader() => Open(SqliteOpenMode.ReadOnly);

    private SqliteSession Open(SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = mode,
            Cache = SqliteCacheMode.Private,
            // The store keeps its own connections (with prepared statements) open; no driver pool.
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
        var session = new SqliteSession(connection, sql);
        try
        {
            connection.Open();
            session.Execute($"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
