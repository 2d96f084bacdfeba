using System.Data.Common;
using Npgsql;
using Smallstep.Pki.Storage.Sql;

namespace Smallstep.Pki.Storage.Postgres;

/// <summary>
/// What PostgreSQL's errors mean for a retry and for an operator. SQLSTATE codes are PostgreSQL's
/// (PostgreSQL docs, Appendix A "PostgreSQL Error Codes").
/// </summary>
internal static class PostgresFailures
{
    public static SqlFailureKind Classify(DbException exception) => exception switch
    {
        // serialization_failure, deadlock_detected: the server rolled the transaction back.
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } => SqlFailureKind.RolledBack,
        // read_only_sql_transaction: a standby, or default_transaction_read_only = on.
        PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } => SqlFailureKind.ReadOnly,
        // admin_shutdown (pg_terminate_backend, a fast shutdown), crash_shutdown, cannot_connect_now
        // (starting up), and class 08 connection exceptions.
        PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow } => SqlFailureKind.ConnectionLost,
        PostgresException { SqlState: var state } when state.StartsWith("08", StringComparison.Ordinal) => SqlFailureKind.ConnectionLost,
        PostgresException => SqlFailureKind.Permanent,
        // Npgsql wraps a socket that broke while reading or writing in an IOException; a refused
        // connection or a connect timeout is a SocketException or TimeoutException instead, and is
        // not retried (the connect timeout already bounded the wait).
        _ when exception.InnerException is IOException => SqlFailureKind.ConnectionLost,
        _ => SqlFailureKind.Permanent,
    };

    public static string Describe(DbException exception, NpgsqlConnectionStringBuilder connection)
    {
        if (exception is PostgresException server)
        {
            return server.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                    $"the server refused the login: {server.MessageText} (SQLSTATE {server.SqlState}); check the user and password in db.dataSource",
                PostgresErrorCodes.ReadOnlySqlTransaction =>
                    $"the database is read-only (a standby?): {server.MessageText} (SQLSTATE {server.SqlState})",
                _ => $"{server.MessageText} (SQLSTATE {server.SqlState})",
            };
        }
        if (Classify(exception) == SqlFailureKind.ConnectionLost)
        {
            return $"the connection to the server broke: {exception.Message} ({exception.InnerException?.Message})";
        }
        if (ConnectFailureText.Find(exception, connection.Timeout) is { } cause)
        {
            return cause;
        }
        // Npgsql reports "SSL connection requested. No SSL enabled connection from this host is
        // configured." when sslmode requires TLS and the server answers the SSLRequest with 'N'.
        if (exception.Message.Contains("SSL", StringComparison.Ordinal) && connection.SslMode >= SslMode.Require)
        {
            return $"sslmode requires TLS but the server does not offer it: {exception.Message}";
        }
        return exception.Message;
    }
}
