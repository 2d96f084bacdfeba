using Microsoft.Extensions.Logging;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Storage.Migration;

/// <summary>
/// A store named on a command line by one string:
/// <list type="bullet">
/// <item><c>sqlite:PATH</c> — a SQLite file (relative paths against the current directory);</item>
/// <item><c>postgresql://user:password@host:port/database?sslmode=...</c> (or <c>postgres://</c>) —
/// step-ca's PostgreSQL DSN, as in ca.json <c>db.dataSource</c>;</item>
/// <item><c>mysql://user:password@tcp(host:port)/database</c> — <c>mysql://</c> followed by step-ca's
/// go-sql-driver DSN.</item>
/// </list>
/// <see cref="ToString"/> is the address with its password hidden. Immutable.
/// </summary>
public sealed class StorageAddress
{
    private StorageAddress(string type, string dataSource)
    {
        Type = type;
        DataSource = dataSource;
    }

    /// <summary>The ca.json <c>db.type</c> it stands for: <c>sqlite</c>, <c>postgresql</c> or <c>mysql</c>.</summary>
    public string Type { get; }

    /// <summary>The ca.json <c>db.dataSource</c> it stands for (may hold a password: do not print it).</summary>
    public string DataSource { get; }

    /// <summary>True for an address in one of the forms above (anything else is a file path to the caller).</summary>
    public static bool IsAddress(string text) =>
        text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses an address.</summary>
    /// <exception cref="PkiException">Kind BadRequest: not one of the forms above (the message does not repeat the text, which may hold a password).</exception>
    public static StorageAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..];
            return path.Length > 0 ? new StorageAddress("sqlite", path) : throw PkiException.BadRequest("sqlite: needs a file path (sqlite:/var/lib/pki/ca.sqlite)");
        }
        if (text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return new StorageAddress("postgresql", text);
        }
        if (text.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase))
        {
            return new StorageAddress("mysql", text["mysql://".Length..]);
        }
        throw PkiException.BadRequest("a database address is sqlite:PATH, postgresql://USER:PASSWORD@HOST:PORT/DB or mysql://USER:PASSWORD@tcp(HOST:PORT)/DB");
    }

    /// <summary>Opens the store with <see cref="StorageFactory.Open"/> (authority tables created when missing).</summary>
    /// <param name="mustExist">For a source: a SQLite file that does not exist is an error rather than a new empty database.</param>
    /// <param name="logger">Receives the open message.</param>
    /// <exception cref="PkiException">Kind BadRequest: the store cannot be opened.</exception>
    public IKeyValueStore Open(bool mustExist, ILogger logger)
    {
        if (mustExist && Type == "sqlite" && !File.Exists(DataSource))
        {
            throw PkiException.BadRequest($"{this}: no such SQLite file");
        }
        return StorageFactory.Open(Type, DataSource, null, Environment.CurrentDirectory, logger);
    }

    /// <summary>The address with any password replaced by <c>***</c>.</summary>
    public override string ToString() => Type switch
    {
        "sqlite" => "sqlite:" + DataSource,
        "mysql" => "mysql://" + DataSourceNameRedaction.Redact(DataSource),
        _ => DataSourceNameRedaction.Redact(DataSource),
    };
}
