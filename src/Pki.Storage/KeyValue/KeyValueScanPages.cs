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
}
