namespace Smallstep.Pki.Tests.Storage.Sql;

/// <summary>A change a test made on a server (a user, a read-only mode), the DSN it is seen through, and its undo.</summary>
public sealed class ServerChange(string dsn, Func<Task> undo) : IAsyncDisposable
{
    /// <summary>The DSN that sees the change.</summary>
    public string Dsn { get; } = dsn;

    public async ValueTask DisposeAsync() => await undo();
}
