using Npgsql;
using Smallstep.Pki.Errors;
using static Smallstep.Pki.Storage.Sql.DataSourceNameText;

namespace Smallstep.Pki.Storage.Postgres;

/// <summary>
/// Converts the PostgreSQL DSNs step-ca accepts (pgx: a <c>postgres://</c>/<c>postgresql://</c> URL or a
/// libpq <c>key=value</c> string, libpq docs §34.1.1) into an Npgsql connection string.
/// </summary>
/// <remarks>
/// Understood parameters: <c>host</c>, <c>port</c>, <c>user</c>, <c>password</c>, <c>dbname</c>,
/// <c>sslmode</c>, <c>sslrootcert</c>, <c>sslcert</c>, <c>sslkey</c>, <c>sslpassword</c>,
/// <c>connect_timeout</c>, <c>application_name</c>, <c>search_path</c>, <c>target_session_attrs</c>
/// (libpq's <c>~/.postgresql/postgresql.crt</c>, <c>postgresql.key</c> and <c>root.crt</c> fill in
/// the TLS files the DSN leaves out);
/// pgx's <c>pool_max_conns</c> sets the pool size, its other pool settings (<c>pool_*</c>) are ignored. Anything else is rejected rather than silently
/// dropped. Error messages never repeat the DSN, which holds the password.
/// <para>Without <c>connect_timeout</c> a connection attempt gives up after 15 s (pgx would wait for
/// the operating system, minutes against an address that drops packets), so a CA whose database is
/// unreachable stops at start-up instead of hanging; <c>connect_timeout=0</c> waits indefinitely, as
/// in libpq. Commands time out after Npgsql's 30 s; the pool holds up to 100 connections unless
/// <c>pool_max_conns</c> says otherwise.</para>
/// </remarks>
public static class PostgresDataSourceName
{
    private const int MaxLength = 4096;

    // Seconds; the same as Npgsql's own default, stated here because start-up depends on it.
    internal const int DefaultConnectTimeoutSeconds = 15;

    /// <summary>The Npgsql connection string for <paramref name="dataSourceName"/>.</summary>
    /// <param name="dataSourceName">URL or key=value DSN.</param>
    /// <param name="database">When set, replaces the DSN's database name (ca.json <c>db.database</c>).</param>
    /// <exception cref="PkiException">Kind BadRequest: malformed DSN or unsupported parameter.</exception>
    public static string ToConnectionString(string dataSourceName, string? database = null) =>
        Parse(dataSourceName, database).ConnectionString;

    internal static NpgsqlConnectionStringBuilder Parse(string dataSourceName, string? database) =>
        Parse(dataSourceName, database, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    internal static NpgsqlConnectionStringBuilder Parse(string dataSourceName, string? database, string homeDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataSourceName);
        if (dataSourceName.Length > MaxLength)
        {
            throw PkiException.BadRequest($"PostgreSQL DSN is longer than {MaxLength} characters");
        }
        var parameters = dataSourceName.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || dataSourceName.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? PostgresUrl.Parameters(dataSourceName)
            : PostgresKeywords.Parameters(dataSourceName);
        var builder = new NpgsqlConnectionStringBuilder { Timeout = DefaultConnectTimeoutSeconds };
        foreach (var (name, value) in parameters)
        {
            Apply(builder, name, value);
        }
        if (!string.IsNullOrEmpty(database))
        {
            builder.Database = database;
        }
        // libpq and pgx default the database to the user name.
        builder.Database ??= builder.Username;
        ApplyDefaultTlsFiles(builder, homeDirectory);
        if (string.IsNullOrEmpty(builder.Host) || string.IsNullOrEmpty(builder.Database))
        {
            throw PkiException.BadRequest("PostgreSQL DSN needs a host and a database (or user) name");
        }
        return builder;
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string name, string value)
    {
        switch (name)
        {
            case "host": builder.Host = value; break;
            case "port": builder.Port = Number(name, value, 1, 65535); break;
            case "user": builder.Username = value; break;
            case "password": builder.Password = value; break;
            case "dbname": builder.Database = value; break;
            case "sslmode": builder.SslMode = SslMode(value); break;
            case "sslrootcert": builder.RootCertificate = value; break;
            case "sslcert": builder.SslCertificate = value; break;
            case "sslkey": builder.SslKey = value; break;
            case "sslpassword": builder.SslPassword = value; break;
            case "connect_timeout": builder.Timeout = Number(name, value, 0, 1024); break;
            case "application_name": builder.ApplicationName = value; break;
            case "search_path": builder.SearchPath = value; break;
            case "target_session_attrs": builder.TargetSessionAttributes = value; break;
            case "pool_max_conns": builder.MaxPoolSize = Number(name, value, 1, 10_000); break;
            case var pool when pool.StartsWith("pool_", StringComparison.Ordinal): break;
            default: throw PkiException.BadRequest($"PostgreSQL DSN parameter \"{Printable(name)}\" is not supported");
        }
    }

    // libpq §34.19.1 (and pgx): without sslcert/sslkey the client certificate is
    // ~/.postgresql/postgresql.crt + postgresql.key when they exist; with sslmode verify-ca or
    // verify-full and no sslrootcert, the server is checked against ~/.postgresql/root.crt.
    private static void ApplyDefaultTlsFiles(NpgsqlConnectionStringBuilder builder, string homeDirectory)
    {
        if (builder.SslMode == Npgsql.SslMode.Disable || string.IsNullOrEmpty(homeDirectory))
        {
            return;
        }
        var directory = Path.Combine(homeDirectory, ".postgresql");
        string? Existing(string name) => File.Exists(Path.Combine(directory, name)) ? Path.Combine(directory, name) : null;
        if (string.IsNullOrEmpty(builder.SslCertificate) && Existing("postgresql.crt") is { } certificate && Existing("postgresql.key") is { } key)
        {
            builder.SslCertificate = certificate;
            builder.SslKey ??= key;
        }
        if (string.IsNullOrEmpty(builder.RootCertificate) && builder.SslMode is Npgsql.SslMode.VerifyCA or Npgsql.SslMode.VerifyFull
            && Existing("root.crt") is { } root)
        {
            builder.RootCertificate = root;
        }
    }

    private static SslMode SslMode(string value) => value switch
    {
        "disable" => Npgsql.SslMode.Disable,
        "allow" => Npgsql.SslMode.Allow,
        "prefer" => Npgsql.SslMode.Prefer,
        "require" => Npgsql.SslMode.Require,
        "verify-ca" => Npgsql.SslMode.VerifyCA,
        "verify-full" => Npgsql.SslMode.VerifyFull,
        _ => throw PkiException.BadRequest($"PostgreSQL sslmode \"{Printable(value)}\" is not one of disable, allow, prefer, require, verify-ca, verify-full"),
    };

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw PkiException.BadRequest($"PostgreSQL DSN parameter {name} must be a number from {min} to {max}");
}
