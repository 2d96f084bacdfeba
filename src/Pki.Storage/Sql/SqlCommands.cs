using System.Data;
using System.Data.Common;

namespace Smallstep.Pki.Storage.Sql;

/// <summary>Command construction and value conversion shared by the store and its transactions.</summary>
internal static class SqlCommands
{
    /// <summary>A command with the binary parameters <c>@key</c> and, when given, <c>@value</c>.</summary>
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, byte[]? key, byte[]? value)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (key is not null)
        {
            Add(command, "key", key);
        }
        if (value is not null)
        {
            Add(command, "value", value);
        }
        return command;
    }

    /// <summary>A scalar read: no row is absent (null); a SQL NULL written by another tool is an empty value.</summary>
    public static byte[]? ToValue(object? scalar) => scalar switch
    {
        null => null,
        DBNull => [],
        byte[] bytes => bytes,
        _ => throw new InvalidCastException($"nvalue column returned {scalar.GetType().Name}, expected bytes"),
    };

    private static void Add(DbCommand command, string name, byte[] bytes)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = DbType.Binary;
        parameter.Value = bytes;
        command.Parameters.Add(parameter);
    }
}
