using System.Runtime.CompilerServices;
using System.Text;

namespace Smallstep.Pki.Storage.Query;

/// <summary>The rows of a serial-keyed table a query has to look at: one key, a prefix range, or all.</summary>
internal sealed class KeyRange
{
    private readonly byte[]? _exact;
    private readonly byte[]? _prefix;

    private KeyRange(byte[]? exact, byte[]? prefix)
    {
        _exact = exact;
        _prefix = prefix;
    }

    /// <summary>True when the range is short, so side tables are better read by point lookups.</summary>
    public bool IsNarrow => _exact is not null || _prefix is not null;

    /// <summary>The range for a query's serial filters.</summary>
    public static KeyRange For(CertificateQuery query) =>
        new(query.Serial is { } serial ? Encoding.ASCII.GetBytes(serial) : null,
            query.SerialPrefix is { Length: > 0 } prefix ? Encoding.ASCII.GetBytes(prefix) : null);

    /// <summary>
    /// The rows of <paramref name="table"/> in the range, in key order. A prefix range starts at the
    /// prefix itself and is contiguous in byte order, so it is the prefix's own row (if any) followed by
    /// a scan after it, stopped at the first key without the prefix.
    /// </summary>
    public async IAsyncEnumerable<KeyValueEntry> RowsAsync(IKeyValueStore store, string table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_exact is not null)
        {
            if (_prefix is null || _exact.AsSpan().StartsWith(_prefix))
            {
                if (await store.GetAsync(table, _exact, cancellationToken).ConfigureAwait(false) is { } value)
                {
                    yield return new KeyValueEntry(_exact, value);
                }
            }
            yield break;
        }
        if (_prefix is not null && await store.GetAsync(table, _prefix, cancellationToken).ConfigureAwait(false) is { } first)
        {
            yield return new KeyValueEntry(_prefix, first);
        }
        // Not ScanAsync(table, _prefix): a null byte[] would convert to an empty (non-null) bound.
        ReadOnlyMemory<byte>? after = null;
        if (_prefix is not null)
        {
            after = _prefix;
        }
        await foreach (var entry in store.ScanAsync(table, after, cancellationToken).ConfigureAwait(false))
        {
            if (_prefix is not null && !entry.Key.AsSpan().StartsWith(_prefix))
            {
                yield break;
            }
            yield return entry;
        }
    }

    /// <summary>A lookup into a side table suited to this range.</summary>
    public IRowLookup LookupIn(IKeyValueStore store, string table, CancellationToken cancellationToken) =>
        IsNarrow ? new PointLookup(store, table, cancellationToken) : OrderedLookup.Over(store, table, cancellationToken);
}
