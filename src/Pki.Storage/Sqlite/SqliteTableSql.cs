namespace Smallstep.Pki.Storage.Sqlite;

/// <summary>
/// The SQL text for one bucket. The table is named exactly as the bucket, as a double-quoted
/// identifier (mixed case such as <c>acme_keyID_accountID_index</c> preserved), with nosql's columns
/// <c>nkey</c>/<c>nvalue</c> ([nosql] postgresql/postgresql.go, mysql/mysql.go). Immutable.
/// </summary>
internal sealed class SqliteTableSql
{
    public SqliteTableSql(string table)
    {
        // SQL identifier quoting: double quotes, an embedded quote doubled (sqlite.org/lang_keywords.html).
        var name = "\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        Table = table;
        // NOT NULL because SQLite lets a non-INTEGER primary key hold NULLs (sqlite.org/lang_createtable.html);
        // the CHECK mirrors nosql's 255-byte key limit for rows written by other tools.
        Create = $"CREATE TABLE IF NOT EXISTS {name} (nkey BLOB NOT NULL PRIMARY KEY CHECK (length(nkey) <= 255), nvalue BLOB)";
        Select = $"SELECT nvalue FROM {name} WHERE nkey = $key";
        Upsert = $"INSERT INTO {name} (nkey, nvalue) VALUES ($key, $value) ON CONFLICT (nkey) DO UPDATE SET nvalue = excluded.nvalue";
        InsertIfAbsent = $"INSERT INTO {name} (nkey, nvalue) VALUES ($key, $value) ON CONFLICT (nkey) DO NOTHING";
        Delete = $"DELETE FROM {name} WHERE nkey = $key";
        List = $"SELECT nkey, nvalue FROM {name} ORDER BY nkey";
        ScanFirst = $"SELECT nkey, nvalue FROM {name} ORDER BY nkey LIMIT {KeyValue.KeyValueScanPages.PageSize}";
        ScanAfter = $"SELECT nkey, nvalue FROM {name} WHERE nkey > $key ORDER BY nkey LIMIT {KeyValue.KeyValueScanPages.PageSize}";
    }

    /// <summary>The bucket name.</summary>
    public string Table { get; }

    /// <summary>Idempotent DDL.</summary>
    public string Create { get; }

    /// <summary>Reads one value (<c>$key</c>).</summary>
    public string Select { get; }

    /// <summary>Insert or replace (<c>$key</c>, <c>$value</c>).</summary>
    public string Upsert { get; }

    /// <summary>Insert unless present (<c>$key</c>, <c>$value</c>); one changed row means inserted.</summary>
    public string InsertIfAbsent { get; }

    /// <summary>Deletes one key (<c>$key</c>).</summary>
    public string Delete { get; }

    /// <summary>Every row; BLOB ordering is memcmp, i.e. by key bytes.</summary>
    public string List { get; }

    /// <summary>The first page of a scan.</summary>
    public string ScanFirst { get; }

    /// <summary>The page after <c>$key</c> (BLOB comparison is memcmp, shorter first on a common prefix).</summary>
    public string ScanAfter { get; }
}
