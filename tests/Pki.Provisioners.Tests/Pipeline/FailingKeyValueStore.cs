using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Pipeline;

/// <summary>A store whose next batch fails as a lost database would, after the certificate was signed.</summary>
internal sealed class FailingKeyValueStore(IKeyValueStore inner) : IKeyValueStore
{
    public bool FailNextBatch { get; set; }

    public ValueTask<BatchResult> ApplyAsync(IReadOnlyList<KeyValueOperation> operations, CancellationToken cancellationToken = default)
    {
        if (FailNextBatch)
        {
            FailNextBatch = false;
            throw new IOException("injected: the database went away between signing and storing");
        }
        return inner.ApplyAsync(operations, cancellationToken);
    }

    public ValueTask CreateTableAsync(string table, CancellationToken cancellationToken = default) => inner.CreateTableAsync(table, cancellationToken);

    public ValueTask<byte[]?> GetAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) => inner.GetAsync(table, key, cancellationToken);

    public ValueTask SetAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        inner.SetAsync(table, key, value, cancellationToken);

    public ValueTask<bool> DeleteAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) => inner.DeleteAsync(table, key, cancellationToken);

    public IAsyncEnumerable<KeyValueEntry> ListAsync(string table, CancellationToken cancellationToken = default) => inner.ListAsync(table, cancellationToken);

    public ValueTask<CompareAndSwapResult> CompareAndSwapAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte> newValue,
        CancellationToken cancellationToken = default) => inner.CompareAndSwapAsync(table, key, expected, newValue, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
