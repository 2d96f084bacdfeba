using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Memory;

/// <summary>
/// An in-process <see cref="IKeyValueStore"/> for tests and embedding: nothing survives the process.
/// Thread-safe; one lock serialises every call, so each call (and each batch) is atomic.
/// </summary>
public sealed class MemoryKeyValueStore : IKeyValueStore, IDisposable
{
    private readonly Lock _gate = new();
    private readonly MemoryTables _tables = new();

    /// <summary>Creates an empty store.</summary>
    /// <param name="tables">Tables to create immediately (e.g. <see cref="StepTables.Authority"/>).</param>
    public MemoryKeyValueStore(IEnumerable<string>? tables = null)
    {
        foreach (var table in tables ?? [])
        {
            KeyValueArguments.CheckTable(table);
            _tables.Create(table);
        }
    }

    /// <inheritdoc />
    public ValueTask CreateTableAsync(string table, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckTable(table);
        lock (_gate)
        {
            _tables.Create(table);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<byte[]?> GetAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckTable(table);
        KeyValueArguments.CheckKey(key);
        lock (_gate)
        {
            return ValueTask.FromResult((byte[]?)_tables.Read(table, key.ToArray())?.Clone());
        }
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckTable(table);
        KeyValueArguments.CheckKey(key);
        lock (_gate)
        {
            _tables.Upsert(table, key.ToArray(), value.ToArray());
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckTable(table);
        KeyValueArguments.CheckKey(key);
        lock (_gate)
        {
            return ValueTask.FromResult(_tables.Delete(table, key.ToArray()));
        }
    }

    /// <inheritdoc />
    /// <remarks>The entries are a snapshot taken when this method is called.</remarks>
    public IAsyncEnumerable<KeyValueEntry> ListAsync(string table, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckTable(table);
        lock (_gate)
        {
            return _tables.Snapshot(table).ToAsyncEnumerable();
        }
    }

    /// <inheritdoc />
    /// <remarks>The entries are a snapshot taken when this method is called.</remarks>
    public IAsyncEnumerable<KeyValueEntry> ScanAsync(string table, ReadOnlyMemory<byte>? after = null, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckTable(table);
        lock (_gate)
        {
            var rows = _tables.Snapshot(table);
            var start = after is { } bound ? rows.Count(e => e.Key.AsSpan().SequenceCompareTo(bound.Span) <= 0) : 0;
            return rows.Skip(start).ToAsyncEnumerable();
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListTablesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>(_tables.Names());
        }
    }

    /// <inheritdoc />
    public ValueTask<CompareAndSwapResult> CompareAndSwapAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte> newValue, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckTable(table);
        KeyValueArguments.CheckKey(key);
        lock (_gate)
        {
            var result = KeyValueSemantics.CompareAndSwap(_tables, table, key.ToArray(), expected, newValue.ToArray());
            return ValueTask.FromResult(result with { Current = (byte[]?)result.Current?.Clone() });
        }
    }

    /// <inheritdoc />
    public ValueTask<BatchResult> ApplyAsync(IReadOnlyList<KeyValueOperation> operations, CancellationToken cancellationToken = default)
    {
        KeyValueArguments.CheckOperations(operations);
        lock (_gate)
        {
            foreach (var operation in operations)
            {
                _tables.CheckExists(operation.Table);
            }
            var staged = new StagedWrites(_tables);
            var failed = KeyValueSemantics.Apply(staged, operations);
            if (failed < 0)
            {
                staged.CommitTo(_tables);
            }
            return ValueTask.FromResult(new BatchResult(failed < 0, failed));
        }
    }

    /// <summary>Nothing to release; present so containers can dispose the store either way.</summary>
    public void Dispose()
    {
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
