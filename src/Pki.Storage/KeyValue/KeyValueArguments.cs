using System.Runtime.InteropServices;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Storage.KeyValue;

/// <summary>
/// Argument checks shared by every <see cref="IKeyValueStore"/> backend, so all of them reject the
/// same input the same way.
/// </summary>
internal static class KeyValueArguments
{
    /// <summary>nosql's key limit: PostgreSQL CHECK <c>octet_length(nkey) &lt;= 255</c>, MySQL <c>VARBINARY(255)</c>.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>Longest table name accepted; step-ca's longest is 48 characters.</summary>
    public const int MaxTableNameLength = 128;

    /// <summary>
    /// Rejects table names that cannot be a step-ca bucket: empty, too long, control characters, or
    /// SQLite's reserved <c>sqlite_</c> prefix.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not acceptable.</exception>
    public static void CheckTable(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Length is 0 or > MaxTableNameLength)
        {
            throw new ArgumentException($"table name must have 1 to {MaxTableNameLength} characters", nameof(table));
        }
        foreach (var c in table)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                throw new ArgumentException("table name contains a control or surrogate character", nameof(table));
            }
        }
        if (table.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("table names starting with sqlite_ are reserved", nameof(table));
        }
    }

    /// <summary>Rejects keys longer than <see cref="MaxKeyLength"/> bytes.</summary>
    /// <exception cref="PkiException">Kind <see cref="PkiErrorKind.BadRequest"/>: the key is too long
    /// (keys are often derived from request data such as serials or principals).</exception>
    public static void CheckKey(ReadOnlyMemory<byte> key)
    {
        if (key.Length > MaxKeyLength)
        {
            throw PkiException.BadRequest($"storage key is {key.Length} bytes; the limit is {MaxKeyLength}");
        }
    }

    /// <summary>Checks every operation of a batch before anything is written.</summary>
    public static void CheckOperations(IReadOnlyList<KeyValueOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var operation in operations)
        {
            ArgumentNullException.ThrowIfNull(operation, nameof(operations));
            CheckTable(operation.Table);
            CheckKey(operation.Key);
            if (!Enum.IsDefined(operation.Kind))
            {
                throw new ArgumentException($"unknown operation kind {operation.Kind}", nameof(operations));
            }
        }
    }

    /// <summary>The error for an operation on a table that was never created.</summary>
    public static PkiException MissingTable(string table) =>
        PkiException.Internal($"storage table \"{table}\" does not exist (CreateTableAsync was not called)");

    /// <summary>
    /// The bytes of <paramref name="memory"/> as an array, without copying when the memory already is a
    /// whole array. Callers must not mutate the result.
    /// </summary>
    public static byte[] AsArray(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
