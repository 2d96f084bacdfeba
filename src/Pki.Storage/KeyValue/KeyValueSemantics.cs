namespace Smallstep.Pki.Storage.KeyValue;

/// <summary>
/// nosql's write semantics, written once for every backend: <c>CmpAndSwap</c> compares the current
/// value byte for byte with the expected one ([nosql] database/database.go), and <c>Update(tx)</c>
/// applies operations in order, stopping at the first compare-and-swap that does not match. The
/// caller runs these inside its transaction and undoes the writes when a batch fails.
/// </summary>
internal static class KeyValueSemantics
{
    /// <summary>One compare-and-swap; <paramref name="expected"/> null means "must be absent".</summary>
    public static CompareAndSwapResult CompareAndSwap(IKeyValueWriter writer, string table, byte[] key, ReadOnlyMemory<byte>? expected, byte[] value)
    {
        if (expected is not { } expectedValue)
        {
            // The common case (used_ott, revocations): one INSERT ... ON CONFLICT DO NOTHING.
            return writer.InsertIfAbsent(table, key, value)
                ? new CompareAndSwapResult(true, null)
                : new CompareAndSwapResult(false, writer.Read(table, key));
        }
        var current = writer.Read(table, key);
        if (current is null || !current.AsSpan().SequenceEqual(expectedValue.Span))
        {
            return new CompareAndSwapResult(false, current);
        }
        writer.Upsert(table, key, value);
        return new CompareAndSwapResult(true, null);
    }

    /// <summary>
    /// Applies <paramref name="operations"/> in order. Returns the index of the compare-and-swap that
    /// did not match (the caller must then discard every write of this batch), or -1.
    /// </summary>
    public static int Apply(IKeyValueWriter writer, IReadOnlyList<KeyValueOperation> operations)
    {
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var key = KeyValueArguments.AsArray(operation.Key);
            switch (operation.Kind)
            {
                case KeyValueOperationKind.Set:
                    writer.Upsert(operation.Table, key, KeyValueArguments.AsArray(operation.Value));
                    break;
                case KeyValueOperationKind.Delete:
                    writer.Delete(operation.Table, key);
                    break;
                case KeyValueOperationKind.CompareAndSwap:
                    if (!CompareAndSwap(writer, operation.Table, key, operation.Expected, KeyValueArguments.AsArray(operation.Value)).Swapped)
                    {
                        return i;
                    }
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(operations), operation.Kind, "unknown operation kind");
            }
        }
        return -1;
    }
}
