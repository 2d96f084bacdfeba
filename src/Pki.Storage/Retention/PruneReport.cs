namespace Smallstep.Pki.Storage.Retention;

/// <summary>What a prune removed (or, for a dry run, would remove) and what it deliberately kept.</summary>
public sealed record PruneReport
{
    /// <summary>The cutoff that was applied.</summary>
    public required DateTimeOffset ExpiredBefore { get; init; }

    /// <summary>True when nothing was deleted.</summary>
    public required bool DryRun { get; init; }

    /// <summary>Rows removed per table (only tables with at least one), ordered by table name.</summary>
    public required IReadOnlyDictionary<string, long> Removed { get; init; }

    /// <summary>Rows that matched the cutoff but were kept, per reason (e.g. <c>revoked certificates</c>).</summary>
    public required IReadOnlyDictionary<string, long> Kept { get; init; }

    /// <summary><c>acme_account_orders_index</c> rows rewritten to drop removed orders.</summary>
    public long IndexRowsRewritten { get; init; }

    /// <summary>Total rows removed.</summary>
    public long TotalRemoved => Removed.Values.Sum();
}
