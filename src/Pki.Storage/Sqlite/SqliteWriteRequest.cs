namespace Smallstep.Pki.Storage.Sqlite;

/// <summary>
/// One caller's write, queued for the group-commit writer. The writer runs it inside a transaction it
/// shares with other callers' writes and completes the caller's task only after that transaction
/// committed (or failed).
/// </summary>
internal abstract class SqliteWriteRequest(CancellationToken cancellationToken)
{
    /// <summary>The caller's token; a request cancelled before the writer reaches it is skipped.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>
    /// True when the request writes more than once, so it needs its own savepoint to be undone alone;
    /// a single SQLite statement is atomic by itself (sqlite.org/lang_transaction.html, statement journal).
    /// </summary>
    public abstract bool NeedsSavepoint { get; }

    /// <summary>Runs the request; returns false when its writes must be undone (a batch whose compare-and-swap failed).</summary>
    public abstract bool Execute(SqliteSession session);

    /// <summary>Completes the caller's task with the outcome of <see cref="Execute"/>; called after commit.</summary>
    public abstract void Complete();

    /// <summary>Fails the caller's task; nothing of this request was committed.</summary>
    public abstract void Fail(Exception error);

    /// <summary>Cancels the caller's task; nothing of this request was written.</summary>
    public abstract void Cancel();
}

/// <summary>A write request with a typed outcome.</summary>
/// <typeparam name="T">What the caller receives.</typeparam>
internal sealed class SqliteWriteRequest<T>(
    Func<SqliteSession, T> run,
    Func<T, bool> keep,
    bool needsSavepoint,
    CancellationToken cancellationToken) : SqliteWriteRequest(cancellationToken)
{
    // Continuations run on the pool, never inline on the writer thread.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _outcome = default!;

    /// <summary>Completes after the commit.</summary>
    public Task<T> Task => _completion.Task;

    /// <inheritdoc />
    public override bool NeedsSavepoint => needsSavepoint;

    /// <inheritdoc />
    public override bool Execute(SqliteSession session)
    {
        _outcome = run(session);
        return keep(_outcome);
    }

    /// <inheritdoc />
    public override void Complete() => _completion.TrySetResult(_outcome);

    /// <inheritdoc />
    public override void Fail(Exception error) => _completion.TrySetException(error);

    /// <inheritdoc />
    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
