using System.Text;
using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// The state of one prune run shared by its rules: the store, the cutoff, the tables that exist, the
/// pending deletes (applied in batches of <see cref="PruneOptions.BatchSize"/>) and the counters.
/// Not thread-safe: rules run one after another.
/// </summary>
internal sealed class PruneContext(IKeyValueStore store, PruneOptions options, IReadOnlySet<string> tables, CancellationToken cancellationToken)
{
    private readonly List<KeyValueOperation> _pending = [];
    private readonly SortedDictionary<string, long> _removed = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _kept = new(StringComparer.Ordinal);

    public IKeyValueStore Store => store;

    public DateTimeOffset Cutoff => options.ExpiredBefore;

    public bool DryRun => options.DryRun;

    public CancellationToken CancellationToken => cancellationToken;

    public long IndexRowsRewritten { get; set; }

    /// <summary>Whether the store has this table (ACME and wire tables exist only where those features ran).</summary>
    public bool Has(string table) => tables.Contains(table);

    /// <summary>Queues the deletion of one row; applies the queue when it is full.</summary>
    public async ValueTask DeleteAsync(string table, byte[] key)
    {
        _removed[table] = _removed.GetValueOrDefault(table) + 1;
        if (DryRun)
        {
            return;
        }
        _pending.Add(KeyValueOperation.Delete(table, key));
        if (_pending.Count >= Math.Max(1, options.BatchSize))
        {
            await FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Counts a row kept on purpose.</summary>
    public void Keep(string reason) => _kept[reason] = _kept.GetValueOrDefault(reason) + 1;

    /// <summary>Applies the queued deletions in one transaction.</summary>
    public async ValueTask FlushAsync()
    {
        if (_pending.Count == 0)
        {
            return;
        }
        await store.ApplyAsync(_pending.ToArray(), cancellationToken).ConfigureAwait(false);
        _pending.Clear();
    }

    public PruneReport Report() => new()
    {
        ExpiredBefore = Cutoff,
        DryRun = DryRun,
        Removed = new Dictionary<string, long>(_removed, StringComparer.Ordinal),
        Kept = new Dictionary<string, long>(_kept, StringComparer.Ordinal),
        IndexRowsRewritten = IndexRowsRewritten,
    };

    /// <summary>A key of step-ca's (an ID or a serial) as text.</summary>
    public static string Text(byte[] key) => Encoding.UTF8.GetString(key);

    /// <summary>Text as key bytes.</summary>
    public static byte[] Key(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Whether two keys are equal bytes.</summary>
    public static bool SameKey(byte[] a, byte[] b) => KeyOrder.Instance.Equals(a, b);
}
