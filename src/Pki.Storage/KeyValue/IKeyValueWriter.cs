namespace Smallstep.Pki.Storage.KeyValue;

/// <summary>
/// The primitive row operations a backend provides inside its own transaction or lock; the shared
/// semantics of compare-and-swap and batches (<see cref="KeyValueSemantics"/>) are built on them.
/// Implementations are not thread-safe: the caller holds the transaction or lock.
/// </summary>
internal interface IKeyValueWriter
{
    /// <summary>The current value, or null when absent.</summary>
    byte[]? Read(string table, byte[] key);

    /// <summary>Inserts or replaces.</summary>
    void Upsert(string table, byte[] key, byte[] value);

    /// <summary>Inserts only when absent; returns whether it inserted.</summary>
    bool InsertIfAbsent(string table, byte[] key, byte[] value);

    /// <summary>Deletes; returns whether the key existed.</summary>
    bool Delete(string table, byte[] key);
}
