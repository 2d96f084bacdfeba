namespace Smallstep.Pki.Storage.Migration;

/// <summary>How <see cref="KeyValueMigration"/> copies.</summary>
public sealed record MigrationOptions
{
    /// <summary>Rows per destination transaction (each also advances the checkpoint). Default 500.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Replace destination rows whose value differs from the source; without it such a row stops the migration.</summary>
    public bool Force { get; init; }

    /// <summary>Ignore the checkpoints of an earlier run and copy every table again from its first key.</summary>
    public bool Restart { get; init; }

    /// <summary>Called after each committed batch and when a table is complete, on the migrating thread.</summary>
    public Action<MigrationProgress>? Progress { get; init; }
}

/// <summary>Where a migration is.</summary>
/// <param name="Table">The table being copied.</param>
/// <param name="Rows">Rows of this table copied so far, earlier runs included.</param>
/// <param name="TableComplete">True when the table is done.</param>
public sealed record MigrationProgress(string Table, long Rows, bool TableComplete);
