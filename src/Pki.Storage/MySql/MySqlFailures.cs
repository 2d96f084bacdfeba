using System.Data.Common;
using MySqlConnector;
using Smallstep.Pki.Storage.Sql;

namespace Smallstep.Pki.Storage.MySql;

/// <summary>
/// What MySQL/MariaDB's errors mean for a retry and for an operator. Numbers are the server's error
/// codes (MySQL "Server Error Message Reference", MariaDB "MariaDB Error Codes").
/// </summary>
internal static class MySqlFailures
{
    // ER_READ_ONLY_MODE (MySQL 5.7+: super_read_only); MySqlConnector has no name for it.
    private const int ReadOnlyMode = 1836;

    // ER_CONNECTION_KILLED (MariaDB: the connection was killed while a statement ran).
    private const int ConnectionKilled = 1927;

    public static SqlFailureKind Classify(DbException exception) => exception switch
    {
        // 1213 ER_LOCK_DEADLOCK rolls the transaction back; 1205 ER_LOCK_WAIT_TIMEOUT only the statement,
        // but the store abandons the whole transaction either way.
        MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout } => SqlFailureKind.RolledBack,
        // 1290 ER_OPTION_PREVENTS_STATEMENT (read_only=ON), 1792 ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION, 1836.
        MySqlException { ErrorCode: MySqlErrorCode.OptionPreventsStatement or MySqlErrorCode.CannotExecuteInReadOnlyTransaction } => SqlFailureKind.ReadOnly,
        MySqlException { Number: ReadOnlyMode } => SqlFailureKind.ReadOnly,
        // 1053 ER_SERVER_SHUTDOWN, 1927: the server ended the session.
        MySqlException { ErrorCode: MySqlErrorCode.ServerShutdown } or MySqlException { Number: ConnectionKilled } => SqlFailureKind.ConnectionLost,
        // MySqlConnector reports a socket that closed mid-command ("Failed to read the result set",
        // a KILL CONNECTION from another session) with an end-of-stream or I/O exception inside.
        // Opening failures (1042 "Unable to connect") carry none and are not retried.
        _ when HasIoCause(exception) => SqlFailureKind.ConnectionLost,
        _ => SqlFailureKind.Permanent,
    };

    public static string Describe(DbException exception, MySqlConnectionStringBuilder connection)
    {
        if (exception is not MySqlException server)
        {
            return exception.Message;
        }
        return server.ErrorCode switch
        {
            MySqlErrorCode.AccessDenied => $"the server refused the login: {server.Message} (error 1045); check the user and password in db.dataSource",
            MySqlErrorCode.UnableToConnectToHost => Unreachable(server, connection),
            _ when HasIoCause(server) => $"the connection to the server broke: {server.Message} ({server.InnerException?.Message})",
            _ when Classify(server) == SqlFailureKind.ReadOnly => $"the database is read-only (read_only=ON: a replica?): {server.Message} (error {server.Number})",
            _ => $"{server.Message} (error {server.Number})",
        };
    }

    // MySqlConnector says only "Unable to connect to any of the specified MySQL hosts." for a refused
    // connection and an unknown host alike; a timeout and a server without TLS have their own message.
    private static string Unreachable(MySqlException server, MySqlConnectionStringBuilder connection)
    {
        if (server.Message.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            return ConnectFailureText.Timeout((int)connection.ConnectionTimeout);
        }
        if (server.Message.Contains("SSL", StringComparison.Ordinal) || server.Message.Contains("TLS", StringComparison.Ordinal))
        {
            return $"the DSN's tls parameter requires TLS but the server does not offer it: {server.Message}";
        }
        if (ConnectFailureText.Find(server, (int)connection.ConnectionTimeout) is { } cause)
        {
            return cause;
        }
        if (connection.ConnectionProtocol == MySqlConnectionProtocol.Sockets && !ConnectFailureText.Resolves(connection.Server))
        {
            return $"the host name \"{connection.Server}\" does not resolve";
        }
        return "cannot connect (connection refused or host unreachable: is the server running and listening on that address and port?)";
    }

    private static bool HasIoCause(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is IOException)
            {
                return true;
            }
        }
        return false;
    }
}
