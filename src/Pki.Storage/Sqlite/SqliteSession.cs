using System.Text;
using Microsoft.Data.Sqlite;
using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Sqlite;

/// <summary>
/// One open SQLite connection with its prepared statements, reused across calls. Not thread-safe:
/// the group-commit writer owns one, and each pooled reader is rented by one caller at a time.
/// </summary>
internal sealed class SqliteSession : IKeyValueWriter, IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Func<string, SqliteTableSql> _sql;

    public SqliteSession(SqliteConnection connection, Func<string, SqliteTableSql> sql)
    {
        Connection = connection;
        _sql = sql;
    }

    /// <summary>The connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Whether a transaction is open (sqlite3_get_autocommit is 0); SQLite may end one on its own after I/O errors.</summary>
    public bool InTransaction => SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0;

    /// <summary>Runs a parameterless statement such as <c>BEGIN IMMEDIATE</c> or <c>SAVEPOINT</c>.</summary>
    public void Execute(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>Creates a table if it does not exist.</summary>
    public void CreateTable(string table) => Execute(_sql(table).Create);

    /// <summary>Whether a table of that exact name exists.</summary>
    public bool TableExists(string table)
    {
        var command = Command("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name");
        command.Parameters[0].Value = table;
        return command.ExecuteScalar() is not null;
    }

    /// <inheritdoc />
    public byte[]? Read(string table, byte[] key)
    {
        var command = Command(_sql(table).Select);
        command.Parameters[0].Value = key;
        return command.ExecuteScalar() switch
        {
            null => null,
            DBNull => [],
            byte[] bytes => bytes,
            // Rows written by other tools may hold TEXT; nosql's drivers treat values as bytes.
            var other => Encoding.UTF8.GetBytes(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty),
        };
    }

    /// <inheritdoc />
    public void Upsert(string table, byte[] key, byte[] value) => KeyValueCommand(_sql(table).Upsert, key, value).ExecuteNonQuery();

    /// <inheritdoc />
    public bool InsertIfAbsent(string table, byte[] key, byte[] value) => KeyValueCommand(_sql(table).InsertIfAbsent, key, value).ExecuteNonQuery() == 1;

    /// <inheritdoc />
    public bool Delete(string table, byte[] key)
    {
        var command = Command(_sql(table).Delete);
        command.Parameters[0].Value = key;
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>Opens a reader over every row of the table in key order.</summary>
    public SqliteDataReader List(string table) => Command(_sql(table).List).ExecuteReader();

    /// <summary>One page of a scan: up to <see cref="KeyValueScanPages.PageSize"/> rows after <paramref name="after"/> (from the start when null).</summary>
    public List<KeyValueEntry> ScanPage(string table, byte[]? after)
    {
        SqliteCommand command;
        if (after is null)
        {
            command = Command(_sql(table).ScanFirst);
        }
        else
        {
            command = Command(_sql(table).ScanAfter);
            command.Parameters[0].Value = after;
        }
        var page = new List<KeyValueEntry>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            page.Add(new KeyValueEntry(Bytes(rows, 0), Bytes(rows, 1)));
        }
        return page;
    }

    /// <summary>
    /// The tables with nosql's columns <c>nkey</c> and <c>nvalue</c>, i.e. the buckets, sorted
    /// ordinally; SQLite's own tables and unrelated tables are left out.
    /// </summary>
    public List<string> ListTables()
    {
        var command = Command("""
            SELECT m.name FROM sqlite_master m
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
              AND (SELECT count(*) FROM pragma_table_info(m.name) c WHERE c.name IN ('nkey', 'nvalue')) = 2
            """);
        var names = new List<string>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            names.Add(rows.GetString(0));
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
        Connection.Dispose();
    }

    // Rows written by other tools may hold NULL or TEXT; nosql's drivers treat both as bytes.
    private static byte[] Bytes(SqliteDataReader rows, int ordinal) => rows.GetValue(ordinal) switch
    {
        DBNull => [],
        byte[] bytes => bytes,
        var other => Encoding.UTF8.GetBytes(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty),
    };

    private SqliteCommand KeyValueCommand(string sql, byte[] key, byte[] value)
    {
        var command = Command(sql);
        command.Parameters[0].Value = key;
        command.Parameters[1].Value = value;
        return command;
    }

    private SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            // Parameters in the order the SQL texts use them: $name or $key first, then $value.
            if (sql.Contains("$name", StringComparison.Ordinal))
            {
                command.Parameters.Add(new SqliteParameter("$name", SqliteType.Text));
            }
            if (sql.Contains("$key", StringComparison.Ordinal))
            {
                command.Parameters.Add(new SqliteParameter("$key", SqliteType.Blob));
            }
            if (sql.Contains("$value", StringComparison.Ordinal))
            {
                command.Parameters.Add(new SqliteParameter("$value", SqliteType.Blob));
            }
            command.Prepare();
            _commands.Add(sql, command);
        }
        return command;
    }
}
