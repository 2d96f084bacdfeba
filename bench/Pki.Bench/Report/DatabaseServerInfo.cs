using System.Data.Common;
using MySqlConnector;
using Npgsql;
using Smallstep.Pki.Bench.Orchestration;
using Smallstep.Pki.Storage.MySql;
using Smallstep.Pki.Storage.Postgres;

namespace Smallstep.Pki.Bench.Report;

/// <summary>
/// A SQL server the run used, as the server itself reports it: its version and the settings that
/// decide what a commit costs (whether it waits for the disk), so the page says how durable the
/// figures are next to SQLite's <c>synchronous=FULL</c>.
/// </summary>
internal sealed record DatabaseServerInfo(string Label, string Version, string Durability)
{
    public static async Task<IReadOnlyList<DatabaseServerInfo>> CollectAsync(BenchOptions options)
    {
        var servers = new List<DatabaseServerInfo>();
        if (options.Postgres is { } postgres)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresDataSourceName.ToConnectionString(postgres)) { Pooling = false }.ConnectionString);
            var row = await ReadAsync(connection, "SELECT split_part(version(), ' ', 2), current_setting('fsync'), current_setting('synchronous_commit')").ConfigureAwait(false);
            servers.Add(new("PostgreSQL", "PostgreSQL " + row[0],
                $"fsync={row[1]}, synchronous_commit={row[2]}" + (row[1] == "off" ? " (commits never wait for the disk: not crash-safe)" : "")));
        }
        if (options.MySql is { } mysql)
        {
            await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(MySqlDataSourceName.ToConnectionString(mysql)) { Pooling = false }.ConnectionString);
            var row = await ReadAsync(connection, "SELECT @@version, @@innodb_flush_log_at_trx_commit, @@sync_binlog").ConfigureAwait(false);
            servers.Add(new("MariaDB", row[0], $"innodb_flush_log_at_trx_commit={row[1]}, sync_binlog={row[2]}" + (row[1] == "1" ? "" : " (the log is flushed to disk about once a second, not at each commit)")));
        }
        return servers;
    }

    private static async Task<string[]> ReadAsync(DbConnection connection, string sql)
    {
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        return Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray();
    }
}
