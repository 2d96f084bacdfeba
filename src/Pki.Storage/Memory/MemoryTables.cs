using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Memory;

/// <summary>
/// The tables of a <see cref="MemoryKeyValueStore"/>: each a sorted map from key bytes to value bytes.
/// Not thread-safe; the store holds its lock around every use. Keys and values are copied on the way
/// in, so later changes to a caller's buffer never reach the store.
/// </summary>
internal sealed class MemoryTables : IKeyValueWriter
{
    private readonly Dictionary<string, SortedDictionary<byte[], byte[]>> _tables = new(StringComparer.Ordinal);

    /// <summary>Creates the table if needed.</summary>
    public void Create(string table) => _tables.TryAdd(table, new SortedDictionary<byte[], byte[]>(KeyOrder.Instance));

    /// <summary>Throws when the table was never created.</summary>
    public void CheckExists(string table)
    {
        if (!_tables.ContainsKey(table))
        {
            throw KeyValueArguments.MissingTable(table);
        }
    }

    /// <summary>The table names, sorted ordinally.</summary>
    public string[] Names() => _tables.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every entry of a table in key order, copied.</summary>
    public KeyValueEntry[] Snapshot(string table) =>
        Table(table).Select(pair => new KeyValueEntry((byte[])pair.Key.Clone(), (byte[])pair.Value.Clone())).ToArray();

    /// <inheritdoc />
    public byte[]? Read(string table, byte[] key) => Table(table).TryGetValue(key, out var value) ? value : null;

    /// <inheritdoc />
    public void Upsert(string table, byte[] key, byte[] value) => Table(table)[(byte[])key.Clone()] = (byte[])value.Clone();

    /// <inheritdoc />
    public bool InsertIfAbsent(string table, byte[] key, byte[] value) => Table(table).TryAdd((byte[])key.Clone(), (byte[])value.Clone());

    /// <inheritdoc />
    public bool Delete(string table, byte[] key) => Table(table).Remove(key);

    private SortedDictionary<byte[], byte[]> Table(string table) =>
        _tables.TryGetValue(table, out var rows) ? rows : throw KeyValueArguments.MissingTable(table);
}
