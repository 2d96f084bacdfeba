using System.Data.Common;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Storage.Sql;

// Connections, retries, the start-up check and error messages (see the class remarks).
public abstract partial class SqlKeyValueStore
{
    /// <summary>
    /// Makes the store ready for a CA: checks that the server will accept writes, then creates
    /// <paramref name="tables"/> when missing (and the database, as nosql does).
    /// </summary>
    /// <remarks>
    /// A CA that cannot burn one-time tokens or record what it issued must not sign, and a standby
    /// can do neither. So a read-only server (a PostgreSQL standby or a database with
    /// <c>default_transaction_read_only = on</c>, a MySQL/MariaDB server with <c>read_only=ON</c> for
    /// this user) is refused here even when every table already exists, rather than letting the CA
    /// start and answer every signing request with an error. PostgreSQL's state is read before the
    /// first <c>CREATE TABLE</c>; MySQL's shows as the server's refusal of <c>CREATE TABLE IF NOT
    /// EXISTS</c> (1290), which it checks even for an existing table.
    /// </remarks>
    /// <exception cref="PkiException">Kind Internal: the server is unreachable, refuses the login or
    /// is read-only, or the database cannot be created; the one-line message says which.</exception>
    public async Task PrepareAsync(IEnumerable<string> tables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var reason = await RunAsync(connection => _dialect.ReadOnlyReasonAsync(connection, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (reason is not null)
        {
            throw PkiException.Internal(Message($"the database is read-only ({reason}); a CA must record used tokens and issued certificates, so it cannot run on a standby or read-only database"));
        }
        foreach (var table in tables)
        {
            await CreateTableAsync(table, cancellationToken).ConfigureAwait(false);
        }
    }

    // Runs work on a pooled connection (disposed afterwards unless work returns it), retrying the
    // failures SqlFailureKind marks as worth a new attempt and those alsoRetry accepts.
    private async Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken, Func<DbException, bool>? alsoRetry = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            DbConnection? connection = null;
            try
            {
                connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                var result = await work(connection).ConfigureAwait(false);
                if (!ReferenceEquals(result, connection))
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
                return result;
            }
            catch (DbException ex) when (attempt < MaxAttempts && (_dialect.Classify(ex) is SqlFailureKind.RolledBack or SqlFailureKind.ConnectionLost || alsoRetry?.Invoke(ex) == true))
            {
                if (connection is not null && _dialect.Classify(ex) == SqlFailureKind.ConnectionLost)
                {
                    _dialect.ClearPool(connection);
                }
                await DisposeAsync(connection).ConfigureAwait(false);
                await Task.Delay(SqlRetryDelay.After(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                await DisposeAsync(connection).ConfigureAwait(false);
                throw Failed(ex);
            }
            catch
            {
                await DisposeAsync(connection).ConfigureAwait(false);
                throw;
            }
        }
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex) when (_dialect.IsMissingDatabase(ex))
        {
            await _databaseCreation.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _dialect.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException creation)
            {
                // e.g. PostgreSQL 42501 "permission denied to create database", MySQL 1044.
                throw PkiException.Internal(Message($"the database does not exist and cannot be created: {_dialect.Describe(creation)}"), creation);
            }
            finally
            {
                _databaseCreation.Release();
            }
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static ValueTask DisposeAsync(DbConnection? connection) => connection?.DisposeAsync() ?? ValueTask.CompletedTask;

    private PkiException Failed(DbException ex) => PkiException.Internal(Message(_dialect.Describe(ex)), ex);

    // "<server> database "x" on host:port: <cause>", one line, the DSN's password masked.
    private string Message(string cause) => DataSourceNameText.Mask($"{_dialect.Name} {_dialect.Target}: {cause}", _dialect.Password);
}
