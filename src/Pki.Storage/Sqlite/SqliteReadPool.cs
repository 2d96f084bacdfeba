using System.Collections.Concurrent;

namespace Smallstep.Pki.Storage.Sqlite;

/// <summary>
/// Read connections kept open and reused, so a read costs no connection setup or statement parsing.
/// At most <see cref="SqliteKeyValueStoreOptions.MaxReadConnections"/> exist; more concurrent readers
/// wait. Thread-safe.
/// </summary>
internal sealed class SqliteReadPool(SqliteConnections connections, int maxConnections) : IDisposable
{
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private readonly SemaphoreSlim _slots = new(maxConnections, maxConnections);
    private volatile bool _disposed;

    /// <summary>Rents a session; dispose the lease to return it.</summary>
    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new Lease(this, _idle.TryTake(out var session) ? session : connections.OpenReader());
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    private void Return(SqliteSession session, bool broken)
    {
        if (broken || _disposed)
        {
            session.Dispose();
        }
        else
        {
            _idle.Add(session);
        }
        _slots.Release();
    }

    /// <summary>A rented session.</summary>
    internal sealed class Lease(SqliteReadPool pool, SqliteSession session) : IDisposable
    {
        private bool _returned;

        /// <summary>The session; use it only until the lease is disposed.</summary>
        public SqliteSession Session { get; } = session;

        /// <summary>Set when the session failed in a way that may leave it unusable; it is then closed rather than reused.</summary>
        public bool Broken { get; set; }

        /// <inheritdoc />
        public void Dispose()
        {
            if (!_returned)
            {
                _returned = true;
                pool.Return(Session, Broken);
            }
        }
    }
}
