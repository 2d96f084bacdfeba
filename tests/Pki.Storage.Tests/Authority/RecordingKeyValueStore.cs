using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Storage.Authority;

/// <summary>A store that forwards to another and records which write calls the aggregates make.</summary>
internal sealed class RecordingKeyValueStore(IKeyValueStore inner) : IKeyValueStore
{
    public List<string> Calls { get; } = [];

    public ValueTask CreateTableAsync(string table, CancellationToken cancellationToken = default) => inner.CreateTableAsync(table, cancellationToken);

    public ValueTask<byte[]?> GetAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) => inner.GetAsync(table, key, cancellationToken);

    public ValueTask SetAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        Calls.Add($"Set {table}");
        return inner.SetAsync(table, key, value, cancellationToken);
    }

    public ValueTask<bool> DeleteAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) => inner.DeleteAsync(table, key, cancellationToken);

    public IAsyncEnumerable<KeyValueEntry> ListAsync(string table, CancellationToken cancellationToken = default) => inner.ListAsync(table, cancellationToken);

    public ValueTask<CompareAndSwapResult> CompareAndSwapAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte> newValue, CancellationToken cancellationToken = default)
    {
        Calls.Add($"CompareAndSwap {table} expected {(expected is null ? "absent" : "value")}");
        return inner.CompareAndSwapAsync(table, key, expected, newValue, cancellationToken);
    }

    public ValueTask<BatchResult> ApplyAsync(IReadOnlyList<KeyValueOperation> operations, CancellationToken cancellationToken = default)
    {
        Calls.Add("Apply " + string.Join(", ", operations.Select(o => $"{o.Kind} {o.Table}")));
        return inner.ApplyAsync(operations, cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
