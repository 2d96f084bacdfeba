using Smallstep.Pki.Configuration;
using Smallstep.Pki.Host.Serve;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Migration;

namespace Smallstep.Pki.Host.Db;

/// <summary>
/// The database a <c>db</c> command works on, named by a ca.json path (its <c>db</c> block, opened as
/// <c>serve</c> opens it) or by a database address (<see cref="StorageAddress"/>); with neither, the
/// default ca.json. <see cref="Description"/> never contains a password.
/// </summary>
internal sealed class DbStoreSource : IAsyncDisposable
{
    private DbStoreSource(IKeyValueStore store, string description)
    {
        Store = store;
        Description = description;
    }

    public IKeyValueStore Store { get; }

    /// <summary>What was opened, for messages: the address with its password hidden, or the ca.json path and db type.</summary>
    public string Description { get; }

    /// <summary>Opens a database.</summary>
    /// <param name="name">A ca.json path or a database address; null for <c>$STEPPATH/config/ca.json</c>.</param>
    /// <param name="mustExist">For a copy's source: a missing SQLite file is an error, not a new empty database.</param>
    /// <exception cref="Errors.PkiException">The store cannot be opened or the address is malformed.</exception>
    /// <exception cref="CaConfigException">The ca.json cannot be read or has no usable <c>db</c> block.</exception>
    public static DbStoreSource Open(string? name, bool mustExist)
    {
        name ??= StepPath.DefaultConfigFile;
        if (StorageAddress.IsAddress(name))
        {
            var address = StorageAddress.Parse(name);
            return new DbStoreSource(address.Open(mustExist, StderrLogger.Instance), address.ToString());
        }
        var loaded = new CaConfigLoader(new CaConfigLoaderOptions { CheckFiles = false }).Load(Path.GetFullPath(name));
        var db = loaded.Config.Db;
        if (db is null || string.IsNullOrEmpty(db.Type))
        {
            throw new CaConfigException(loaded.ConfigPath, [ConfigDiagnostic.Error("db", "there is no db block: this CA keeps no database")]);
        }
        try
        {
            // As the built-in storage providers open it for serve: for the SQL drivers dataSource is a DSN, not a path.
            var dataSource = db.IsEmbedded ? loaded.ResolvePath(db.DataSource) : db.DataSource;
            if (mustExist && db.IsEmbedded && !Directory.Exists(dataSource) && !File.Exists(dataSource) && !File.Exists(dataSource + StorageFactory.BboltSuffix))
            {
                throw Errors.PkiException.BadRequest($"db.dataSource {dataSource} does not exist");
            }
            var store = StorageFactory.Open(db.Type, dataSource, db.Database, Path.GetDirectoryName(loaded.ConfigPath)!, StderrLogger.Instance);
            return new DbStoreSource(store, $"{loaded.ConfigPath} (db.type {db.Type})");
        }
        catch (Errors.PkiException e)
        {
            throw new CaConfigException(loaded.ConfigPath, [ConfigDiagnostic.Error("db.dataSource", e.Message)]);
        }
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
