using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Sql;

/// <summary>
/// An <see cref="IKeyValueStore"/> on a SQL server with nosql's schema: one table per bucket, named
/// exactly as the bucket (quoted, mixed case kept), columns <c>nkey</c> (at most 255 bytes, primary
/// key) and <c>nvalue</c> ([nosql] postgresql/postgresql.go, mysql/mysql.go), so a database written by
/// step-ca keeps working. See <see cref="Postgres.PostgresKeyValueStore"/> and <see cref="MySql.MySqlKeyValueStore"/>.
/// </summary>
/// <remarks>
/// <para>Every call uses a pooled connection. Compare-and-swap and batches run in one READ COMMITTED
/// transaction with row locks (<c>SELECT ... FOR UPDATE</c>); inserting an absent key is a single
/// <c>INSERT</c> that does nothing on conflict, so concurrent inserters from any number of processes
/// see exactly one winner.</para>
/// <para>Retries: an operation whose transaction the server rolled back (serialization failure or
/// deadlock: PostgreSQL 40001/40P01, MySQL 1213/1205) or whose open connection broke (server restart,
/// <c>pg_terminate_backend</c>, <c>KILL</c>: PostgreSQL 57P01/57P02/57P03/08xxx, a closed socket) is
/// run again on a fresh connection, up to <see cref="MaxAttempts"/> times in all, after a random wait
/// that grows with each failure (<see cref="SqlRetryDelay"/>); a broken connection also empties the
/// pool. When the connection broke during a commit, the commit may have happened: the retry then finds
/// its own write, so an insert-if-absent reports "already present" (a token is refused as replayed, a
/// revocation as already revoked) — it fails closed, never twice. A failure to connect at all
/// (refused, unknown host, timeout, bad login) is not retried: the connect timeout already bounded it.</para>
/// <para>The database is created on first use when missing, as nosql does; <see cref="PrepareAsync"/>
/// checks that the server accepts writes before creating tables. Server failures, including an operation
/// on a table never created, are <see cref="PkiException"/> of kind <see cref="PkiErrorKind.Internal"/>
/// whose one-line message names the server, the database and the cause; messages never contain the DSN,
/// and the DSN's password is masked in them. Thread-safe.</para>
/// </remarks>
public abstract partial class SqlKeyValueStore : IKeyValueStore
{
    /// <summary>Attempts made for an operation that keeps failing with a transient error.</summary>
    public const int MaxAttempts = 5;

    private readonly ConcurrentDictionary<string, SqlTableText> _sql = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _databaseCreation = new(1, 1);
    private readonly SqlDialect _dialect;
    private readonly DbDataSource _dataSource;

    private protected SqlKeyValueStore(SqlDialect dialect)
    {
        _dialect = dialect;
        _dataSource = dialect.CreateDataSource();
    }

    /// <inheritdoc />
    /// <remarks>Safe to call from several processes at once: a concurrent creation that makes this one
    /// fail (<see cref="SqlDialect.IsConcurrentCreation"/>) is retried and then finds the table.</remarks>
    public async ValueTask CreateTableAsync(string table, CancellationToken cancellationToken = default)
    {
        var sql = SqlFor(table);
        await RunAsync(async connection =>
        {
            await using var command = SqlCommands.Create(connection, null, sql.Create, null, null);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken, _dialect.IsConcurrentCreation).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckKey(key);
        var sql = SqlFor(table);
        var keyBytes = KeyValueArguments.AsArray(key);
        return await RunAsync(async connection =>
        {
            await using var command = SqlCommands.Create(connection, null, sql.Select, keyBytes, null);
            return SqlCommands.ToValue(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckKey(key);
        var sql = SqlFor(table);
        byte[] keyBytes = KeyValueArguments.AsArray(key), valueBytes = KeyValueArguments.AsArray(value);
        await RunAsync(async connection =>
        {
            await using var command = SqlCommands.Create(connection, null, sql.Upsert, keyBytes, valueBytes);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckKey(key);
        var sql = SqlFor(table);
        var keyBytes = KeyValueArguments.AsArray(key);
        return await RunAsync(async connection =>
        {
            await using var command = SqlCommands.Create(connection, null, sql.Delete, keyBytes, null);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Rows stream from one statement; a connection stays rented until the enumeration ends.
    /// A transient failure is not retried here because rows may already have been returned.</remarks>
    public async IAsyncEnumerable<KeyValueEntry> ListAsync(string table, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sql = SqlFor(table);
        await using var connection = await RunAsync(Task.FromResult, cancellationToken).ConfigureAwait(false);
        DbDataReader rows;
        try
        {
            await using var command = SqlCommands.Create(connection, null, sql.List, null, null);
            rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            throw Failed(ex);
        }
        await using (rows.ConfigureAwait(false))
        {
            while (true)
            {
                KeyValueEntry entry;
                try
                {
                    if (!await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield break;
                    }
                    entry = new KeyValueEntry(SqlCommands.ToValue(rows.GetValue(0)) ?? [], SqlCommands.ToValue(rows.GetValue(1)) ?? []);
                }
                catch (DbException ex)
                {
                    throw Failed(ex);
                }
                yield return entry;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<CompareAndSwapResult> CompareAndSwapAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte> newValue, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckKey(key);
        SqlFor(table);
        byte[] keyBytes = KeyValueArguments.AsArray(key), valueBytes = KeyValueArguments.AsArray(newValue);
        return await InTransactionAsync(writer => KeyValueSemantics.CompareAndSwap(writer, table, keyBytes, expected, valueBytes), result => result.Swapped, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<BatchResult> ApplyAsync(IReadOnlyList<KeyValueOperation> operations, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckOperations(operations);
        foreach (var operation in operations)
        {
            SqlFor(operation.Table);
        }
        if (operations.Count == 0)
        {
            return new BatchResult(true, -1);
        }
        var failed = await InTransactionAsync(writer => KeyValueSemantics.Apply(writer, operations), index => index < 0, cancellationToken).ConfigureAwait(false);
        return new BatchResult(failed < 0, failed);
    }

    /// <summary>Closes every pooled connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _databaseCreation.Dispose();
        GC.SuppressFinalize(this);
    }

    // The row primitives are synchronous (KeyValueSemantics is shared with SQLite); they run on the
    // transaction's own connection between an asynchronous begin and commit.
    private Task<T> InTransactionAsync<T>(Func<SqlTransactionWriter, T> work, Func<T, bool> commit, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            var result = work(new SqlTransactionWriter(transaction, SqlFor));
            if (commit(result))
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }
            return result;
        }, cancellationToken);

    private SqlTableText SqlFor(string table)
    {
        KeyValueArguments.CheckTable(table);
        return _sql.GetOrAdd(table, _dialect.TableText);
    }
}
