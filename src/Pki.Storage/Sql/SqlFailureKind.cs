namespace Smallstep.Pki.Storage.Sql;

/// <summary>What a server error means for the operation that got it.</summary>
internal enum SqlFailureKind
{
    /// <summary>Anything else: reported at once (bad credentials, unreachable server, a bug).</summary>
    Permanent,

    /// <summary>
    /// The server rolled the transaction back and a new attempt may succeed: serialization failure
    /// (SQLSTATE 40001), PostgreSQL deadlock (40P01), MySQL deadlock (1213) and lock wait timeout (1205).
    /// </summary>
    RolledBack,

    /// <summary>
    /// A connection that was open broke (server restart, <c>pg_terminate_backend</c>, <c>KILL</c>, a
    /// network cut): a fresh connection may succeed. A commit in flight when it broke may or may not
    /// have happened.
    /// </summary>
    ConnectionLost,

    /// <summary>The server refuses writes: a standby or replica, or a read-only default (PostgreSQL 25006, MySQL 1290/1792/1836).</summary>
    ReadOnly,
}
