using System.Runtime.CompilerServices;

namespace Smallstep.Pki.Storage.KeyValue;

/// <summary>
/// How backends serve <see cref="IKeyValueStore.ScanAsync"/>: pages of at most <see cref="PageSize"/>
/// rows, each read on its own (<c>WHERE nkey &gt; last ORDER BY nkey LIMIT n</c>), so no read
/// transaction or connection is held while the caller works on a page.
/// </summary>
internal static class KeyValueScanPages
{
    /// <summary>Rows per page: large enough that per-query cost is noise, small enough to stay a few MB.</summary>
    public const int PageSize = 1000;

    /// <summary>
    /// Yields every entry after <paramref name="after"/> in key order, reading one page at a time with
    /// <paramref name="readPage"/> (given the last key seen, null for the first page); a page shorter
    /// than <see cref="PageSize"/> is the last.
    /// </summary>
    public static async IAsyncEnumerable<KeyValueEntry> Walk(ReadOnlyMemory<byte>? after,
        Func<byte[]?, CancellationToken, ValueTask<List<KeyValueEntry>>> readPage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = after?.ToArray();
        while (true)
        {
            var page = await readPage(cursor, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page)
            {
                yield return entry;
            }
            if (page.Count < PageSize)
            {
                yield break;
            }
            cursor = page[^1].Key;
        }
    }
}
