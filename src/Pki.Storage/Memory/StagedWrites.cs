using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Memory;

/// <summary>
/// A batch's writes held aside over <see cref="MemoryTables"/>: reads see the batch's own earlier
/// writes, and nothing reaches the tables until <see cref="CommitTo"/>, which gives a batch its
/// all-or-nothing behaviour without undo logic.
/// </summary>
internal sealed class StagedWrites(MemoryTables tables) : IKeyValueWriter
{
    // Value null = deleted in this batch.
    private readonly Dictionary<(string Table, byte[] Key), byte[]?> _pending = new(new TableKeyComparer());

    /// <inheritdoc />
    public byte[]? Read(string table, byte[] key) =>
        _pending.TryGetValue((table, key), out var staged) ? staged : tables.Read(table, key);

    /// <inheritdoc />
    public void Upsert(string table, byte[] key, byte[] value)
    {
        tables.CheckExists(table);
        _pending[(table, key)] = value;
    }

    /// <inheritdoc />
    public bool InsertIfAbsent(string table, byte[] key, byte[] value)
    {
        if (Read(table, key) is not null)
        {
            return false;
        }
        _pending[(table, key)] = value;
        return true;
    }

    /// <inheritdoc />
    public bool Delete(string table, byte[] key)
    {
        var existed = Read(table, key) is not null;
        _pending[(table, key)] = null;
        return existed;
    }

    /// <summary>Applies every staged write to the tables.</summary>
    public void CommitTo(MemoryTables target)
    {
        foreach (var ((table, key), value) in _pending)
        {
            if (value is null)
            {
                target.Delete(table, key);
            }
            else
            {
                target.Upsert(table, key, value);
            }
        }
    }

    private sealed class TableKeyComparer : IEqualityComparer<(string Table, byte[] Key)>
    {
        public bool Equals((string Table, byte[] Key) x, (string Table, byte[] Key) y) =>
            string.Equals(x.Table, y.Table, StringComparison.Ordinal) && KeyOrder.Instance.Equals(x.Key, y.Key);

        public int GetHashCode((string Table, byte[] Key) obj) =>
            HashCode.Combine(StringComparer.Ordinal.GetHashCode(obj.Table), KeyOrder.Instance.GetHashCode(obj.Key));
    }
}
