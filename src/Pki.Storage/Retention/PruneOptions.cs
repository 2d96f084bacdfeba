namespace Smallstep.Pki.Storage.Retention;

/// <summary>What a prune removes (see <see cref="StorePruner"/>).</summary>
public sealed record PruneOptions
{
    /// <summary>
    /// Data that expired before this instant is removed. Must be at least
    /// <see cref="StorePruner.MinimumAge"/> in the past, so nothing still in use (a token within its
    /// clock-skew allowance, an ACME exchange in flight) is touched.
    /// </summary>
    public required DateTimeOffset ExpiredBefore { get; init; }

    /// <summary>Count what would be removed without removing anything.</summary>
    public bool DryRun { get; init; }

    /// <summary>Most rows deleted per transaction, so a large prune never holds a long write lock. Default 500.</summary>
    public int BatchSize { get; init; } = 500;
}
