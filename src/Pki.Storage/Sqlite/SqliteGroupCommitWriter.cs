using System.Threading.Channels;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Storage.Sqlite;

/// <summary>
/// Group commit: callers queue writes; one thread takes everything queued (up to a limit), applies it
/// in a single <c>BEGIN IMMEDIATE</c> transaction and commits once, so one fsync covers many callers.
/// Each request is isolated: a batch whose compare-and-swap fails is rolled back to its own savepoint,
/// and a request that throws fails alone. Every caller's task completes only after the commit that
/// holds its write, so an acknowledged write is durable. Thread-safe.
/// </summary>
internal sealed class SqliteGroupCommitWriter : IDisposable
{
    private const string Savepoint = "SAVEPOINT request";
    private const string RollbackToSavepoint = "ROLLBACK TO request";
    private const string ReleaseSavepoint = "RELEASE request";

    private readonly Channel<SqliteWriteRequest> _queue =
        Channel.CreateUnbounded<SqliteWriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteSession _session;
    private readonly string _path;
    private readonly int _maxGroup;
    private readonly Thread _thread;
    private readonly List<SqliteWriteRequest> _group;
    private readonly List<SqliteWriteRequest> _applied;

    public SqliteGroupCommitWriter(SqliteSession session, string path, int maxGroup)
    {
        _session = session;
        _path = path;
        _maxGroup = Math.Max(1, maxGroup);
        _group = new List<SqliteWriteRequest>(_maxGroup);
        _applied = new List<SqliteWriteRequest>(_maxGroup);
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite group commit" };
        _thread.Start();
    }

    /// <summary>Queues a request and returns its task.</summary>
    /// <exception cref="ObjectDisposedException">The store is closing.</exception>
    public Task<T> Enqueue<T>(SqliteWriteRequest<T> request)
    {
        if (!_queue.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(SqliteKeyValueStore));
        }
        return request.Task;
    }

    /// <summary>Stops accepting writes, applies those already queued, and closes the connection.</summary>
    public void Dispose()
    {
        if (_queue.Writer.TryComplete())
        {
            _thread.Join();
            _session.Dispose();
        }
    }

    private void Run()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (_group.Count < _maxGroup && reader.TryRead(out var request))
            {
                _group.Add(request);
            }
            ApplyGroup();
            _group.Clear();
            _applied.Clear();
        }
    }

    private void ApplyGroup()
    {
        try
        {
            _session.Execute("BEGIN IMMEDIATE");
        }
        catch (Exception ex)
        {
            FailAll(_group, ex);
            return;
        }
        foreach (var request in _group)
        {
            if (request.CancellationToken.IsCancellationRequested)
            {
                request.Cancel();
                continue;
            }
            try
            {
                Apply(request);
                _applied.Add(request);
            }
            catch (Exception ex) when (_session.InTransaction)
            {
                // The transaction survived (constraint, bad input): only this request failed.
                request.Fail(Wrap(ex));
            }
            catch (Exception ex)
            {
                // SQLite rolled the whole transaction back (I/O error, disk full): every write so far is lost.
                FailAll(_applied, ex);
                FailAll(_group.Skip(_group.IndexOf(request)), ex);
                return;
            }
        }
        try
        {
            _session.Execute("COMMIT");
        }
        catch (Exception ex)
        {
            RollBackQuietly();
            FailAll(_applied, ex);
            return;
        }
        foreach (var request in _applied)
        {
            request.Complete();
        }
    }

    private void Apply(SqliteWriteRequest request)
    {
        if (!request.NeedsSavepoint)
        {
            request.Execute(_session);
            return;
        }
        _session.Execute(Savepoint);
        bool keep;
        try
        {
            keep = request.Execute(_session);
        }
        catch when (_session.InTransaction)
        {
            _session.Execute(RollbackToSavepoint);
            _session.Execute(ReleaseSavepoint);
            throw;
        }
        if (!keep)
        {
            _session.Execute(RollbackToSavepoint);
        }
        _session.Execute(ReleaseSavepoint);
    }

    private void RollBackQuietly()
    {
        if (!_session.InTransaction)
        {
            return;
        }
        try
        {
            _session.Execute("ROLLBACK");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // The connection is already in error; the next BEGIN reports it to the next callers.
        }
    }

    private void FailAll(IEnumerable<SqliteWriteRequest> requests, Exception error)
    {
        var wrapped = Wrap(error);
        foreach (var request in requests)
        {
            request.Fail(wrapped);
        }
    }

    private Exception Wrap(Exception error) => error is PkiException or ArgumentException
        ? error
        : PkiException.Internal($"SQLite write to {_path} failed: {error.Message}", error);
}
