namespace Smallstep.Pki.Storage;

/// <summary>
/// step-ca's key-value model (smallstep/nosql <c>database.DB</c>): named tables of byte keys
/// (at most 255 bytes) to byte values. Table names and value encodings are step-ca's so an
/// existing database keeps working. Implementations are thread-safe and every single call is
/// atomic and durable once it returns.
/// </summary>
public interface IKeyValueStore : IAsyncDisposable
{
    /// <summary>Creates the table if it does not exist (idempotent).</summary>
    ValueTask CreateTableAsync(string table, CancellationToken cancellationToken = default);

    /// <summary>Returns the value stored under <paramref name="key"/>, or null when absent.</summary>
    ValueTask<byte[]?> GetAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the value under <paramref name="key"/>.</summary>
    ValueTask SetAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="key"/>; returns whether it existed.</summary>
    ValueTask<bool> DeleteAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    /// <summary>Streams every entry of the table, ordered by key bytes.</summary>
    IAsyncEnumerable<KeyValueEntry> ListAsync(string table, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the entries whose key sorts after <paramref name="after"/> (every entry when null),
    /// ordered by unsigned key bytes, for scans of any size: backends read in pages, each page its
    /// own short read, so a scan of millions of rows holds no transaction or connection between
    /// pages, and a scan stopped at key K resumes with <c>after = K</c>. Rows written or deleted
    /// while a scan runs may or may not appear; no key appears twice. The default implementation
    /// filters <see cref="ListAsync"/>.
    /// </summary>
    IAsyncEnumerable<KeyValueEntry> ScanAsync(string table, ReadOnlyMemory<byte>? after = null, CancellationToken cancellationToken = default) =>
        KeyValueScanFallback.After(ListAsync(table, cancellationToken), after);

    /// <summary>
    /// The names of the key-value tables in the store (tables with nosql's <c>nkey</c>/<c>nvalue</c>
    /// columns for SQL backends), sorted ordinally; used to copy or inspect a whole database.
    /// </summary>
    /// <exception cref="NotSupportedException">The store cannot enumerate its tables (the default).</exception>
    ValueTask<IReadOnlyList<string>> ListTablesAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} cannot list its tables");

    /// <summary>
    /// Atomically writes <paramref name="newValue"/> if the current value is byte-equal to
    /// <paramref name="expected"/> (null = the key must be absent). Returns the outcome and, when
    /// not swapped, the current value. This is nosql's <c>CmpAndSwap</c>.
    /// </summary>
    ValueTask<CompareAndSwapResult> CompareAndSwapAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte> newValue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies all <paramref name="operations"/> in one transaction: all or none. A compare-and-swap
    /// operation that does not match aborts the whole batch and the result says which one failed.
    /// This is nosql's <c>Update(tx)</c>.
    /// </summary>
    ValueTask<BatchResult> ApplyAsync(IReadOnlyList<KeyValueOperation> operations, CancellationToken cancellationToken = default);
}

/// <summary>One key and its value.</summary>
public sealed record KeyValueEntry(byte[] Key, byte[] Value);

/// <summary>Outcome of a compare-and-swap.</summary>
/// <param name="Swapped">True when the new value was written.</param>
/// <param name="Current">The value found when not swapped (null when absent).</param>
public readonly record struct CompareAndSwapResult(bool Swapped, byte[]? Current);

/// <summary>Outcome of a batch.</summary>
/// <param name="Committed">True when every operation was applied.</param>
/// <param name="FailedIndex">Index of the compare-and-swap that did not match, or -1.</param>
public readonly record struct BatchResult(bool Committed, int FailedIndex);

/// <summary>The kinds of operation a batch may contain.</summary>
public enum KeyValueOperationKind
{
    /// <summary>Insert or replace.</summary>
    Set,
    /// <summary>Delete if present.</summary>
    Delete,
    /// <summary>Write only if the current value equals <see cref="KeyValueOperation.Expected"/>.</summary>
    CompareAndSwap,
}

/// <summary>One write in a batch.</summary>
public sealed record KeyValueOperation(KeyValueOperationKind Kind, string Table, ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value, ReadOnlyMemory<byte>? Expected = null)
{
    /// <summary>An insert-or-replace.</summary>
    public static KeyValueOperation Set(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value) => new(KeyValueOperationKind.Set, table, key, value);

    /// <summary>A delete.</summary>
    public static KeyValueOperation Delete(string table, ReadOnlyMemory<byte> key) => new(KeyValueOperationKind.Delete, table, key, ReadOnlyMemory<byte>.Empty);

    /// <summary>A compare-and-swap (expected null = insert if absent).</summary>
    public static KeyValueOperation CompareAndSwap(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte> value) => new(KeyValueOperationKind.CompareAndSwap, table, key, value, expected);
}
