namespace Smallstep.Pki.Storage.Query;

/// <summary>Finds the row of one table that belongs to a row of another (same key).</summary>
internal interface IRowLookup : IAsyncDisposable
{
    /// <summary>The value stored under <paramref name="key"/>, or null.</summary>
    ValueTask<byte[]?> FindAsync(byte[] key);
}

/// <summary>One point read per lookup: for short key ranges, where a scan of the whole side table would cost more.</summary>
internal sealed class PointLookup(IKeyValueStore store, string table, CancellationToken cancellationToken) : IRowLookup
{
    /// <inheritdoc />
    public ValueTask<byte[]?> FindAsync(byte[] key) => store.GetAsync(table, key, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
