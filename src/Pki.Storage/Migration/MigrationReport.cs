namespace Smallstep.Pki.Storage.Migration;

/// <summary>The outcome of a migration: what each table's copy did, then the verification of every table.</summary>
/// <param name="Copies">One entry per source table.</param>
/// <param name="Verification">Row counts and checksums of both sides, per table.</param>
public sealed record MigrationReport(IReadOnlyList<TableCopy> Copies, IReadOnlyList<TableVerification> Verification)
{
    /// <summary>True when every table has the same rows and checksum on both sides.</summary>
    public bool Verified => Verification.All(v => v.Matches);
}

/// <summary>What the copy of one table did in this run.</summary>
/// <param name="Table">The table.</param>
/// <param name="Inserted">Rows written that the destination did not have.</param>
/// <param name="AlreadyPresent">Rows the destination already had with the same value (left as they were).</param>
/// <param name="Overwritten">Rows whose different destination value was replaced (only with <see cref="MigrationOptions.Force"/>).</param>
/// <param name="Resumed">True when the copy continued after an earlier run's checkpoint.</param>
/// <param name="AlreadyComplete">True when an earlier run had finished this table, so nothing was copied.</param>
public sealed record TableCopy(string Table, long Inserted, long AlreadyPresent, long Overwritten, bool Resumed, bool AlreadyComplete);

/// <summary>One table compared on both sides.</summary>
/// <param name="Table">The table.</param>
/// <param name="Source">The source's digest.</param>
/// <param name="Destination">The destination's digest; <see cref="TableDigest.Missing"/> when it has no such table.</param>
public sealed record TableVerification(string Table, TableDigest Source, TableDigest Destination)
{
    /// <summary>True when both sides have the same rows.</summary>
    public bool Matches => Source == Destination;
}

/// <summary>
/// A table's row count and SHA-256 over its rows in key order, each row hashed as
/// <c>uint32be(len key) ‖ key ‖ uint32be(len value) ‖ value</c>, so equal digests mean equal tables on
/// any backend.
/// </summary>
/// <param name="Rows">Row count.</param>
/// <param name="Sha256">Lower-case hex; empty for <see cref="Missing"/>.</param>
public readonly record struct TableDigest(long Rows, string Sha256)
{
    /// <summary>The digest of a table that does not exist.</summary>
    public static TableDigest Missing { get; } = new(0, string.Empty);
}
