namespace Smallstep.Pki.Storage;

/// <summary>The default of <see cref="IKeyValueStore.ScanAsync"/> for stores that only list whole tables.</summary>
internal static class KeyValueScanFallback
{
    /// <summary>The entries of an ordered listing whose key sorts after <paramref name="after"/>.</summary>
    public static async IAsyncEnumerable<KeyValueEntry> After(IAsyncEnumerable<KeyValueEntry> listing, ReadOnlyMemory<byte>? after)
    {
        await foreach (var entry in listing.ConfigureAwait(false))
        {
            if (after is not { } bound || entry.Key.AsSpan().SequenceCompareTo(bound.Span) > 0)
            {
                yield return entry;
            }
        }
    }
}
