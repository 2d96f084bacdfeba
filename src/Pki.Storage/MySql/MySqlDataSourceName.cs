using MySqlConnector;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Time;
using static Smallstep.Pki.Storage.Sql.DataSourceNameText;

namespace Smallstep.Pki.Storage.MySql;

/// <summary>
/// Converts step-ca's MySQL DSN, go-sql-driver's
/// <c>[user[:password]@][net[(addr)]]/dbname[?param=value&amp;...]</c> (go-sql-driver/mysql dsn.go
/// <c>ParseDSN</c>), into a MySqlConnector connection string.
/// </summary>
/// <remarks>
/// As in go-sql-driver: the last <c>/</c> ends the address part, the last <c>@</c> before it ends the
/// user part, the first <c>:</c> splits user and password; <c>net</c> is <c>tcp</c> (default address
/// <c>127.0.0.1:3306</c>) or <c>unix</c>; the database name and parameter values are percent-decoded.
/// Parameters mapped: <c>tls</c> (<c>true</c> = verify the server, <c>skip-verify</c>,
/// <c>preferred</c>, <c>false</c>), <c>timeout</c> (a Go duration). Parameters that cannot matter for a
/// binary key-value store (<c>charset</c>, <c>collation</c>, <c>parseTime</c>, <c>loc</c>, timeouts of
/// reads and writes, ...) are ignored; any other is rejected, because go-sql-driver would send it to
/// the server as a session variable. Error messages never repeat the DSN, which holds the password.
/// <para>Without <c>timeout</c> a connection attempt gives up after 15 s (go-sql-driver would wait for
/// the operating system), so a CA whose database is unreachable stops at start-up instead of hanging.
/// Commands time out after MySqlConnector's 30 s; the pool holds up to 100 connections.</para>
/// </remarks>
public static class MySqlDataSourceName
{
    private const int MaxLength = 4096;
    private const uint DefaultPort = 3306;

    // Seconds; the same as MySqlConnector's own default, stated here because start-up depends on it.
    internal const uint DefaultConnectTimeoutSeconds = 15;

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "charset", "collation", "parseTime", "loc", "readTimeout", "writeTimeout", "allowNativePasswords",
        "allowOldPasswords", "interpolateParams", "multiStatements", "clientFoundRows", "columnsWithAlias",
        "maxAllowedPacket", "rejectReadOnly", "checkConnLiveness", "allowAllFiles", "autocommit",
    };

    /// <summary>The MySqlConnector connection string for <paramref name="dataSourceName"/>.</summary>
    /// <param name="dataSourceName">go-sql-driver DSN.</param>
    /// <param name="database">When set, replaces the DSN's database name (ca.json <c>db.database</c>).</param>
    /// <exception cref="PkiException">Kind BadRequest: malformed DSN or unsupported parameter.</exception>
    public static string ToConnectionString(string dataSourceName, string? database = null) =>
        Parse(dataSourceName, database).ConnectionString;

    internal static MySqlConnectionStringBuilder Parse(string dataSourceName, string? database)
    {
        ArgumentNullException.ThrowIfNull(dataSourceName);
        if (dataSourceName.Length > MaxLength)
        {
            throw PkiException.BadRequest($"MySQL DSN is longer than {MaxLength} characters");
        }
        var slash = dataSourceName.LastIndexOf('/');
        if (slash < 0)
        {
            throw PkiException.BadRequest("MySQL DSN is missing the '/' before the database name");
        }
        // The store's insert-if-absent counts rows actually changed, not rows found.
        var builder = new MySqlConnectionStringBuilder { UseAffectedRows = true, ConnectionTimeout = DefaultConnectTimeoutSeconds };
        var prefix = dataSourceName[..slash];
        var at = prefix.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = prefix[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.UserID = colon < 0 ? userInfo : userInfo[..colon];
            if (colon >= 0)
            {
                builder.Password = userInfo[(colon + 1)..];
            }
        }
        Address(builder, prefix[(at + 1)..]);

        var tail = dataSourceName[(slash + 1)..];
        var query = tail.IndexOf('?', StringComparison.Ordinal);
        builder.Database = Decode(query < 0 ? tail : tail[..query]);
        if (query >= 0)
        {
            foreach (var pair in tail[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw PkiException.BadRequest("MySQL DSN parameters must be name=value pairs");
                }
                Apply(builder, pair[..equals], Decode(pair[(equals + 1)..]));
            }
        }
        if (!string.IsNullOrEmpty(database))
        {
            builder.Database = database;
        }
        if (string.IsNullOrEmpty(builder.Database))
        {
            throw PkiException.BadRequest("MySQL DSN names no database (set it in the DSN or db.database)");
        }
        return builder;
    }

    // net[(addr)]: tcp(host[:port]) with IPv6 in brackets, or unix(/path/to/socket).
    private static void Address(MySqlConnectionStringBuilder builder, string address)
    {
        var open = address.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0 && !address.EndsWith(')'))
        {
            throw PkiException.BadRequest("MySQL DSN address must be net(addr)");
        }
        var net = open < 0 ? address : address[..open];
        var addr = open < 0 ? "" : address[(open + 1)..^1];
        switch (net)
        {
            case "" or "tcp":
                HostAndPort(builder, addr.Length == 0 ? "127.0.0.1" : addr);
                break;
            case "unix":
                builder.ConnectionProtocol = MySqlConnectionProtocol.UnixSocket;
                builder.Server = addr.Length == 0 ? "/tmp/mysql.sock" : addr;
                break;
            default:
                throw PkiException.BadRequest($"MySQL DSN network \"{Printable(net)}\" is not tcp or unix");
        }
    }

    private static void HostAndPort(MySqlConnectionStringBuilder builder, string addr)
    {
        var close = addr.LastIndexOf(']');
        var colon = addr.LastIndexOf(':');
        var hasPort = colon > close && (close >= 0 || addr.IndexOf(':', StringComparison.Ordinal) == colon);
        var host = hasPort ? addr[..colon] : addr;
        builder.Server = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        builder.Port = !hasPort ? DefaultPort
            : uint.TryParse(addr[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
                ? port
                : throw PkiException.BadRequest("MySQL DSN port must be a number from 1 to 65535");
    }

    private static void Apply(MySqlConnectionStringBuilder builder, string name, string value)
    {
        switch (name)
        {
            case "tls":
                builder.SslMode = value switch
                {
                    "true" => MySqlSslMode.VerifyFull,
                    "skip-verify" => MySqlSslMode.Required,
                    "preferred" => MySqlSslMode.Preferred,
                    "false" => MySqlSslMode.Disabled,
                    _ => throw PkiException.BadRequest("MySQL DSN tls must be true, false, skip-verify or preferred (custom TLS configs are not supported)"),
                };
                break;
            case "timeout":
                builder.ConnectionTimeout = GoDuration.TryParse(value, out var timeout) && timeout > TimeSpan.Zero && timeout <= TimeSpan.FromHours(1)
                    ? (uint)Math.Ceiling(timeout.TotalSeconds)
                    : throw PkiException.BadRequest("MySQL DSN timeout must be a positive Go duration up to 1h");
                break;
            case var ignored when Ignored.Contains(ignored):
                break;
            default:
                throw PkiException.BadRequest($"MySQL DSN parameter \"{Printable(name)}\" is not supported");
        }
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException ex)
        {
            throw PkiException.BadRequest("MySQL DSN has a malformed percent-encoding", ex);
        }
    }
}
