using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Query;

/// <summary>
/// Looks keys up in one table while another table is walked in key order: both tables share the
/// key (the serial), so a forward-only scan of this one answers every lookup, and joining two tables
/// costs one pass over each instead of a point read per row. Lookups must come with non-decreasing
/// keys. Not thread-safe.
/// </summary>
internal sealed class OrderedLookup : IRowLookup
{
    private readonly IAsyncEnumerator<KeyValueEntry> _rows;
    private KeyValueEntry? _current;
    private bool _started;
    private bool _finished;

    /// <summary>Walks <paramref name="rows"/>, which must be ordered by key bytes.</summary>
    public OrderedLookup(IAsyncEnumerable<KeyValueEntry> rows, CancellationToken cancellationToken) =>
        _rows = rows.GetAsyncEnumerator(cancellationToken);

    /// <summary>A lookup over the whole table.</summary>
    public static OrderedLookup Over(IKeyValueStore store, string table, CancellationToken cancellationToken) =>
        new(store.ScanAsync(table, null, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<byte[]?> FindAsync(byte[] key)
    {
        if (!_started)
        {
            _started = true;
            await AdvanceAsync().ConfigureAwait(false);
        }
        while (!_finished && KeyOrder.Instance.Compare(_current!.Key, key) < 0)
        {
            await AdvanceAsync().ConfigureAwait(false);
        }
        return !_finished && KeyOrder.Instance.Equals(_current!.Key, key) ? _current.Value : null;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _rows.DisposeAsync();

    private async ValueTask AdvanceAsync()
    {
        if (await _rows.MoveNextAsync().ConfigureAwait(false))
        {
            _current = _rows.Current;
        }
        else
        {
            _finished = true;
            _current = null;
        }
    }
}
