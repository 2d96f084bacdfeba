using System.Data.Common;
using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Sql;

/// <summary>
/// The row primitives of <see cref="KeyValueSemantics"/> inside one open SQL transaction. Reads lock
/// the row (<c>SELECT ... FOR UPDATE</c>, as nosql's <c>CmpAndSwap</c>) so the compare and the write
/// see the same value. Not thread-safe: one per transaction.
/// </summary>
internal sealed class SqlTransactionWriter(DbTransaction transaction, Func<string, SqlTableText> sqlFor) : IKeyValueWriter
{
    public byte[]? Read(string table, byte[] key)
    {
        using var command = Command(sqlFor(table).SelectForUpdate, key, null);
        return SqlCommands.ToValue(command.ExecuteScalar());
    }

    public void Upsert(string table, byte[] key, byte[] value)
    {
        using var command = Command(sqlFor(table).Upsert, key, value);
        command.ExecuteNonQuery();
    }

    public bool InsertIfAbsent(string table, byte[] key, byte[] value)
    {
        using var command = Command(sqlFor(table).InsertIfAbsent, key, value);
        return command.ExecuteNonQuery() == 1;
    }

    public bool Delete(string table, byte[] key)
    {
        using var command = Command(sqlFor(table).Delete, key, null);
        return command.ExecuteNonQuery() > 0;
    }

    private DbCommand Command(string sql, byte[] key, byte[]? value) =>
        SqlCommands.Create(transaction.Connection ?? throw new InvalidOperationException("transaction already completed"), transaction, sql, key, value);
}
