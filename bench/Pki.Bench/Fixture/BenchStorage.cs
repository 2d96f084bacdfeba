using System.Text.Json.Nodes;
using MySqlConnector;
using Npgsql;
using Smallstep.Pki.Storage.MySql;
using Smallstep.Pki.Storage.Postgres;

namespace Smallstep.Pki.Bench.Fixture;

/// <summary>
/// The store a run's ca.json names: none (the host's in-memory store), a SQLite file, or a new
/// database on a PostgreSQL or MariaDB server (step-ca's <c>db.type</c> <c>postgresql</c> /
/// <c>mysql</c>, created by the CA on start and dropped after the run).
/// </summary>
/// <param name="Label">How the report names it.</param>
/// <param name="DbType">ca.json <c>db.type</c>; null for no <c>db</c> block.</param>
/// <param name="Dsn">ca.json <c>db.dataSource</c> of a SQL server.</param>
/// <param name="ServerProcesses">Process names of the server on this machine, whose CPU the run reports separately.</param>
internal sealed record BenchStorage(string Label, string? DbType, string? Dsn, IReadOnlyList<string> ServerProcesses)
{
    public static BenchStorage Memory { get; } = new("memory store", null, null, []);

    public static BenchStorage Sqlite { get; } = new("SQLite", "sqlite", null, []);

    public static BenchStorage Postgres(string dsn) => new("PostgreSQL", "postgresql", dsn, ["postgres"]);

    public static BenchStorage MariaDb(string dsn) => new("MariaDB", "mysql", dsn, ["mariadbd", "mysqld"]);

    public bool IsServer => Dsn is not null;

    /// <summary>The <c>db</c> block for run <paramref name="name"/>, or null for none.</summary>
    public JsonObject? DbBlock(string stepPath, string name) => DbType switch
    {
        null => null,
        "sqlite" => new JsonObject { ["type"] = "sqlite", ["dataSource"] = Path.Combine(stepPath, "db", name + ".sqlite") },
        _ => new JsonObject { ["type"] = DbType, ["dataSource"] = Dsn, ["database"] = DatabaseName(stepPath, name) },
    };

    /// <summary>Drops the database of run <paramref name="name"/> (SQL servers only; a missing one is fine).</summary>
    public async Task DropAsync(string stepPath, string name)
    {
        if (Dsn is null)
        {
            return;
        }
        var database = DatabaseName(stepPath, name);
        if (DbType == "postgresql")
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresDataSourceName.ToConnectionString(Dsn)) { Pooling = false }.ConnectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        else
        {
            await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(MySqlDataSourceName.ToConnectionString(Dsn)) { Pooling = false }.ConnectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new MySqlCommand($"DROP DATABASE IF EXISTS `{database}`", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    // One database per run and PKI: the PKI folder's name is unique per benchmark run.
    private static string DatabaseName(string stepPath, string name) =>
        $"pki_bench_{new DirectoryInfo(stepPath).Parent?.Name.Replace('-', '_')}_{name.Replace('-', '_')}".ToLowerInvariant();
}
