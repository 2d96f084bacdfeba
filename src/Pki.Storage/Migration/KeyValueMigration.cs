using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Migration;

/// <summary>
/// Copies every table of one store into another (any two backends: SQLite, PostgreSQL, MySQL/MariaDB,
/// memory), table by table in key order, in batches; then compares row counts and SHA-256 checksums
/// of every table on both sides.
/// </summary>
/// <remarks>
/// <para>Resumable: each batch is written in one destination transaction together with the table's
/// checkpoint (<c>pki_migration</c>: the last key copied), so a migration that is killed or cancelled
/// continues where it stopped when run again, without copying a row twice. A finished table is not
/// copied again unless <see cref="MigrationOptions.Restart"/>.</para>
/// <para>Rows are inserted only where the destination has none. A destination row with the same value
/// is left alone; one with a different value stops the migration with an error unless
/// <see cref="MigrationOptions.Force"/>, which replaces it with compare-and-swap.</para>
/// <para>The source should not change during the copy (stop the CA): the final verification reports
/// any difference, including rows written meanwhile. Not thread-safe: one run at a time per destination.</para>
/// </remarks>
public sealed class KeyValueMigration
{
    private const int MaxClassifyRounds = 5;
    private readonly IKeyValueStore _source;
    private readonly IKeyValueStore _destination;

    /// <summary>A migration from <paramref name="source"/> to <paramref name="destination"/>; both must be able to list their tables.</summary>
    public KeyValueMigration(IKeyValueStore source, IKeyValueStore destination)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _destination = destination ?? throw new ArgumentNullException(nameof(destination));
    }

    /// <summary>The name of the checkpoint table written into the destination.</summary>
    public static string CheckpointTable => MigrationCheckpoint.Table;

    /// <summary>Copies every source table, then verifies every table.</summary>
    /// <exception cref="PkiException">Kind BadRequest: the source has no tables, or a destination row differs and
    /// <see cref="MigrationOptions.Force"/> is off. Storage failures as the stores report them; the
    /// batches committed before stay, with their checkpoint.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; run again to resume.</exception>
    public async Task<MigrationReport> RunAsync(MigrationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        var tables = await SourceTablesAsync(cancellationToken).ConfigureAwait(false);
        if (tables.Count == 0)
        {
            throw PkiException.BadRequest("the source database has no tables: is it the right one?");
        }
        await _destination.CreateTableAsync(MigrationCheckpoint.Table, cancellationToken).ConfigureAwait(false);
        var copies = new List<TableCopy>(tables.Count);
        foreach (var table in tables)
        {
            copies.Add(await CopyTableAsync(table, options, cancellationToken).ConfigureAwait(false));
        }
        return new MigrationReport(copies, await VerifyAsync(tables, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Compares row counts and checksums of every source table (or of <paramref name="tables"/>) on both sides, without writing.</summary>
    public async Task<IReadOnlyList<TableVerification>> VerifyAsync(IReadOnlyList<string>? tables = null, CancellationToken cancellationToken = default)
    {
        tables ??= await SourceTablesAsync(cancellationToken).ConfigureAwait(false);
        var inDestination = (await _destination.ListTablesAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var results = new List<TableVerification>(tables.Count);
        foreach (var table in tables)
        {
            var source = TableDigests.ComputeAsync(_source, table, true, cancellationToken);
            var destination = TableDigests.ComputeAsync(_destination, table, inDestination.Contains(table), cancellationToken);
            results.Add(new TableVerification(table, await source.ConfigureAwait(false), await destination.ConfigureAwait(false)));
        }
        return results;
    }

    private async Task<IReadOnlyList<string>> SourceTablesAsync(CancellationToken cancellationToken) =>
        (await _source.ListTablesAsync(cancellationToken).ConfigureAwait(false)).Where(t => t != MigrationCheckpoint.Table).ToList();

    private async Task<TableCopy> CopyTableAsync(string table, MigrationOptions options, CancellationToken cancellationToken)
    {
        var checkpoint = options.Restart ? MigrationCheckpoint.Start : await MigrationCheckpoint.ReadAsync(_destination, table, cancellationToken).ConfigureAwait(false);
        if (checkpoint.Complete)
        {
            options.Progress?.Invoke(new MigrationProgress(table, checkpoint.Rows, true));
            return new TableCopy(table, 0, 0, 0, Resumed: false, AlreadyComplete: true);
        }
        var resumed = checkpoint.After is not null;
        try
        {
            await _destination.CreateTableAsync(table, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            // E.g. a name longer than PostgreSQL's 63-byte identifiers.
            throw PkiException.BadRequest($"table {table} cannot be created in the destination: {ex.Message}", ex);
        }
        var counts = new CopyCounts();
        var batch = new List<KeyValueEntry>(options.BatchSize);
        ReadOnlyMemory<byte>? after = null;
        if (checkpoint.After is { } last)
        {
            after = last;
        }
        await foreach (var entry in _source.ScanAsync(table, after, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(entry);
            if (batch.Count == options.BatchSize)
            {
                checkpoint = await CommitAsync(table, batch, checkpoint, complete: false, options.Force, counts, cancellationToken).ConfigureAwait(false);
                options.Progress?.Invoke(new MigrationProgress(table, checkpoint.Rows, false));
                batch.Clear();
            }
        }
        checkpoint = await CommitAsync(table, batch, checkpoint, complete: true, options.Force, counts, cancellationToken).ConfigureAwait(false);
        options.Progress?.Invoke(new MigrationProgress(table, checkpoint.Rows, true));
        return new TableCopy(table, counts.Inserted, counts.AlreadyPresent, counts.Overwritten, resumed, AlreadyComplete: false);
    }

    // One destination transaction: the rows (insert-if-absent) and the advanced checkpoint. When some
    // key already exists the batch is rolled back, every key is read, and the batch is rebuilt from
    // what the destination holds: absent → insert, equal → skip, different → conflict or (force) swap.
    private async Task<MigrationCheckpoint> CommitAsync(string table, List<KeyValueEntry> batch, MigrationCheckpoint checkpoint, bool complete, bool force, CopyCounts counts, CancellationToken cancellationToken)
    {
        var next = new MigrationCheckpoint(batch.Count > 0 ? batch[^1].Key : checkpoint.After, checkpoint.Rows + batch.Count, complete);
        var operations = batch.Select(e => KeyValueOperation.CompareAndSwap(table, e.Key, null, e.Value)).Append(next.Write(table)).ToList();
        if ((await _destination.ApplyAsync(operations, cancellationToken).ConfigureAwait(false)).Committed)
        {
            counts.Inserted += batch.Count;
            return next;
        }
        for (var round = 0; round < MaxClassifyRounds; round++)
        {
            var planned = new CopyCounts();
            operations.Clear();
            foreach (var entry in batch)
            {
                var current = await _destination.GetAsync(table, entry.Key, cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    operations.Add(KeyValueOperation.CompareAndSwap(table, entry.Key, null, entry.Value));
                    planned.Inserted++;
                }
                else if (KeyOrder.Instance.Equals(current, entry.Value))
                {
                    planned.AlreadyPresent++;
                }
                else if (force)
                {
                    operations.Add(KeyValueOperation.CompareAndSwap(table, entry.Key, current, entry.Value));
                    planned.Overwritten++;
                }
                else
                {
                    throw PkiException.BadRequest($"the destination's {table} already holds a different value for key {KeyText(entry.Key)}; nothing of that batch was written (force (--force) overwrites such rows)");
                }
            }
            operations.Add(next.Write(table));
            if ((await _destination.ApplyAsync(operations, cancellationToken).ConfigureAwait(false)).Committed)
            {
                counts.Add(planned);
                return next;
            }
        }
        throw PkiException.Internal($"the destination's {table} keeps changing during the migration; stop whatever writes to it and run again");
    }

    private static string KeyText(byte[] key) =>
        key.All(b => b is >= 0x20 and < 0x7F) ? "\"" + System.Text.Encoding.ASCII.GetString(key) + "\"" : "0x" + Convert.ToHexString(key);

    private sealed class CopyCounts
    {
        public long Inserted { get; set; }

        public long AlreadyPresent { get; set; }

        public long Overwritten { get; set; }

        public void Add(CopyCounts other)
        {
            Inserted += other.Inserted;
            AlreadyPresent += other.AlreadyPresent;
            Overwritten += other.Overwritten;
        }
    }
}
