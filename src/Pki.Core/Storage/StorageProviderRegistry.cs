namespace Smallstep.Pki.Storage;

/// <summary>The registered storage providers by <c>db.type</c> (case-insensitive). Immutable and thread-safe.</summary>
public sealed class StorageProviderRegistry
{
    private readonly Dictionary<string, StorageProviderRegistration> _byType = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Indexes <paramref name="registrations"/>; the first registration of a type wins.</summary>
    public StorageProviderRegistry(IEnumerable<StorageProviderRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        foreach (var registration in registrations)
        {
            foreach (var type in registration.DatabaseTypes)
            {
                _byType.TryAdd(type.Trim(), registration);
            }
        }
    }

    /// <summary>The registered <c>db.type</c> names.</summary>
    public IReadOnlyCollection<string> Types => _byType.Keys;

    /// <summary>The provider for a <c>db.type</c>, or null.</summary>
    public StorageProviderRegistration? Find(string type) => _byType.GetValueOrDefault((type ?? string.Empty).Trim());
}

/// <summary>
/// A store chosen in code (<c>AddSqliteStorage(path)</c>, <c>AddMemoryStorage()</c>,
/// <c>AddKeyValueStorage(factory)</c>) instead of by ca.json's <c>db</c> block: when registered it
/// wins, and the <c>db</c> block is not used. Opens the store once (thread-safe).
/// </summary>
public sealed class CodeConfiguredKeyValueStore
{
    private readonly Func<IServiceProvider, IKeyValueStore> _factory;
    private readonly object _gate = new();
    private IKeyValueStore? _store;

    /// <summary>Wraps the factory of the application's store.</summary>
    public CodeConfiguredKeyValueStore(Func<IServiceProvider, IKeyValueStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
    }

    /// <summary>The store, opened on first call.</summary>
    public IKeyValueStore Open(IServiceProvider services)
    {
        lock (_gate)
        {
            return _store ??= _factory(services);
        }
    }
}
