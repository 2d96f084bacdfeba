namespace Smallstep.Pki.Storage;

/// <summary>
/// Tables one feature keeps in the key-value store (the authority's, ACME's, ...). Each feature
/// registers its own set with <c>AddStorageTables</c>; a store creates the union of the registered
/// sets when it opens. Table names are step-ca's and case-sensitive.
/// </summary>
/// <param name="Feature">Who needs the tables, for messages (e.g. <c>authority</c>, <c>acme</c>).</param>
/// <param name="Tables">The table names.</param>
public sealed record StorageTableSet(string Feature, IReadOnlyList<string> Tables)
{
    /// <summary>The union of <paramref name="sets"/>, each table once, in registration order.</summary>
    public static IReadOnlyList<string> Union(IEnumerable<StorageTableSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        return sets.SelectMany(s => s.Tables).Distinct(StringComparer.Ordinal).ToArray();
    }
}
