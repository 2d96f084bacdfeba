using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Sqlite;

/// <summary>
/// The embedded default <see cref="IKeyValueStore"/>: one SQLite file, one SQL table per bucket named
/// exactly as the bucket, columns <c>nkey BLOB PRIMARY KEY</c> (at most 255 bytes) and <c>nvalue BLOB</c>,
/// like nosql's SQL drivers.
/// </summary>
/// <remarks>
/// <para>Writes go through group commit (<see cref="SqliteKeyValueStoreOptions.MaxWritesPerTransaction"/>):
/// concurrent writes share one transaction and one fsync, and every call returns only after its
/// transaction committed with <c>synchronous=FULL</c>, so an acknowledged write survives a crash or power
/// loss and a killed process never leaves half a batch. Reads use a pool of separate connections and
/// see every write acknowledged before they started (WAL snapshot). Other processes may open the same
/// file; SQLite's locking serialises their writes (waiting up to <see cref="SqliteKeyValueStoreOptions.BusyTimeout"/>).</para>
/// <para>SQLite compares table names case-insensitively, so two buckets differing only in case share a
/// table (step-ca has no such pair). Values are always written as BLOBs.</para>
/// <para>Thread-safe. Failures of SQLite are reported as <see cref="PkiException"/> of kind
/// <see cref="PkiErrorKind.Internal"/>; an operation on a table never created also fails that way.</para>
/// </remarks>
public sealed class SqliteKeyValueStore : IKeyValueStore, IDisposable
{
    private readonly ConcurrentDictionary<string, SqliteTableSql> _sql = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _existing = new(StringComparer.Ordinal);
    private readonly SqliteReadPool _readers;
    private readonly SqliteGroupCommitWriter _writer;
    private readonly string _path;

    /// <summary>Opens (creating if needed) the database file <paramref name="path"/>.</summary>
    public SqliteKeyValueStore(string path)
        : this(new SqliteKeyValueStoreOptions { Path = path })
    {
    }

    /// <summary>Opens (creating if needed) the database file and creates <see cref="SqliteKeyValueStoreOptions.Tables"/>.</summary>
    /// <exception cref="PkiException">Kind <see cref="PkiErrorKind.Internal"/>: the file cannot be opened as a SQLite database in WAL mode.</exception>
    public SqliteKeyValueStore(SqliteKeyValueStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Path);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxReadConnections, 1);
        foreach (var table in options.Tables)
        {
            KeyValueArguments.CheckTable(table);
        }
        _path = System.IO.Path.GetFullPath(options.Path);
        var connections = new SqliteConnections(options with { Path = _path }, SqlFor);
        SqliteSession? writer = null;
        try
        {
            writer = connections.OpenWriter();
            foreach (var table in options.Tables)
            {
                writer.CreateTable(table);
                _existing[table] = true;
            }
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            writer?.Dispose();
            throw PkiException.Internal($"cannot open SQLite database {_path}: {ex.Message}", ex);
        }
        _writer = new SqliteGroupCommitWriter(writer, _path, options.MaxWritesPerTransaction);
        _readers = new SqliteReadPool(connections, options.MaxReadConnections);
    }

    /// <summary>The absolute path of the database file.</summary>
    public string Path => _path;

    /// <inheritdoc />
    public async ValueTask CreateTableAsync(string table, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckTable(table);
        await Write(session => { session.CreateTable(table); return true; }, _ => true, false, cancellationToken).ConfigureAwait(false);
        _existing[table] = true;
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckKey(key);
        await CheckTableAsync(table, cancellationToken).ConfigureAwait(false);
        return await Read(session => session.Read(table, KeyValueArguments.AsArray(key)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckKey(key);
        await CheckTableAsync(table, cancellationToken).ConfigureAwait(false);
        byte[] keyBytes = KeyValueArguments.AsArray(key), valueBytes = KeyValueArguments.AsArray(value);
        await Write(session => { session.Upsert(table, keyBytes, valueBytes); return true; }, _ => true, false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckKey(key);
        await CheckTableAsync(table, cancellationToken).ConfigureAwait(false);
        var keyBytes = KeyValueArguments.AsArray(key);
        return await Write(session => session.Delete(table, keyBytes), _ => true, false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The entries come from one read transaction started at the first <c>MoveNextAsync</c>;
    /// a read connection stays rented until the enumeration ends.</remarks>
    public async IAsyncEnumerable<KeyValueEntry> ListAsync(string table, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await CheckTableAsync(table, cancellationToken).ConfigureAwait(false);
        using var lease = await _readers.RentAsync(cancellationToken).ConfigureAwait(false);
        Microsoft.Data.Sqlite.SqliteDataReader rows;
        try
        {
            rows = lease.Session.List(table);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            lease.Broken = true;
            throw ReadFailed(ex);
        }
        using (rows)
        {
            while (true)
            {
                KeyValueEntry entry;
                try
                {
                    if (!rows.Read())
                    {
                        yield break;
                    }
                    entry = new KeyValueEntry(ReadBytes(rows, 0), ReadBytes(rows, 1));
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    lease.Broken = true;
                    throw ReadFailed(ex);
                }
                cancellationToken.ThrowIfCancellationRequested();
                yield return entry;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Each page is one short read on a pooled connection (its own WAL snapshot), so a long
    /// scan neither blocks checkpoints nor holds a connection while the caller works.</remarks>
    public async IAsyncEnumerable<KeyValueEntry> ScanAsync(string table, ReadOnlyMemory<byte>? after = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await CheckTableAsync(table, cancellationToken).ConfigureAwait(false);
        await foreach (var entry in KeyValueScanPages.Walk(after, (cursor, ct) => Read(session => session.ScanPage(table, cursor), ct), cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListTablesAsync(CancellationToken cancellationToken = default) =>
        await Read(session => session.ListTables(), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<CompareAndSwapResult> CompareAndSwapAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte> newValue, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckKey(key);
        await CheckTableAsync(table, cancellationToken).ConfigureAwait(false);
        byte[] keyBytes = KeyValueArguments.AsArray(key), valueBytes = KeyValueArguments.AsArray(newValue);
        return await Write(session => KeyValueSemantics.CompareAndSwap(session, table, keyBytes, expected, valueBytes), _ => true, false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<BatchResult> ApplyAsync(IReadOnlyList<KeyValueOperation> operations, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckOperations(operations);
        foreach (var operation in operations)
        {
            await CheckTableAsync(operation.Table, cancellationToken).ConfigureAwait(false);
        }
        var failed = await Write(session => KeyValueSemantics.Apply(session, operations), index => index < 0, operations.Count > 1, cancellationToken).ConfigureAwait(false);
        return new BatchResult(failed < 0, failed);
    }

    /// <summary>Applies the writes already queued, then closes every connection.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _readers.Dispose();
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<T> Write<T>(Func<SqliteSession, T> run, Func<T, bool> keep, bool needsSavepoint, CancellationToken cancellationToken) =>
        _writer.Enqueue(new SqliteWriteRequest<T>(run, keep, needsSavepoint, cancellationToken));

    private async ValueTask<T> Read<T>(Func<SqliteSession, T> read, CancellationToken cancellationToken)
    {
        using var lease = await _readers.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return read(lease.Session);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            lease.Broken = true;
            throw ReadFailed(ex);
        }
    }

    // A table may also have been created by another process since this store opened.
    private async ValueTask CheckTableAsync(string table, CancellationToken cancellationToken)
    {
        KeyValueArguments.CheckTable(table);
        if (_existing.ContainsKey(table))
        {
            return;
        }
        if (!await Read(session => session.TableExists(table), cancellationToken).ConfigureAwait(false))
        {
            throw KeyValueArguments.MissingTable(table);
        }
        _existing[table] = true;
    }

    private SqliteTableSql SqlFor(string table) => _sql.GetOrAdd(table, static name => new SqliteTableSql(name));

    private static byte[] ReadBytes(Microsoft.Data.Sqlite.SqliteDataReader rows, int ordinal) =>
        rows.IsDBNull(ordinal) ? [] : rows.GetFieldValue<byte[]>(ordinal);

    private PkiException ReadFailed(Exception ex) => PkiException.Internal($"SQLite read from {_path} failed: {ex.Message}", ex);
}
