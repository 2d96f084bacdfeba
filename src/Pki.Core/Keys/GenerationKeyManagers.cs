using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Keys;

/// <summary>
/// The key managers of one authority generation: the one ca.json's <c>kms</c> block selects
/// (softkms when absent), plus any other registered manager a key URI's scheme routes to. Each is
/// created once per generation through its <see cref="KeyManagerRegistration"/> and disposed with
/// the generation. Used while a generation is built (sequentially), then only disposed.
/// </summary>
internal sealed class GenerationKeyManagers(KeyManagerRegistry registry, KmsConfig? kms, IServiceProvider services) : IAsyncDisposable
{
    private readonly Dictionary<KeyManagerRegistration, IKeyManager> _created = new(ReferenceEqualityComparer.Instance);
    private int _disposed;

    /// <summary>The kms block's type, <c>softkms</c> without one.</summary>
    public string KmsType => kms?.EffectiveType ?? KeyManagerRegistry.SoftKmsType;

    /// <summary>The registry the managers come from.</summary>
    public KeyManagerRegistry Registry => registry;

    /// <summary>The managers created so far (for tests and logging).</summary>
    public IReadOnlyCollection<IKeyManager> Created => _created.Values;

    /// <summary>Creates the kms block's manager now, so a missing registration or a bad block fails the start even if no key uses it.</summary>
    /// <exception cref="CaConfigException">No key manager is registered for the type.</exception>
    public async ValueTask OpenConfiguredAsync(CancellationToken cancellationToken)
    {
        if (kms is null)
        {
            return;
        }
        var registration = registry.FindByType(KmsType)
            ?? throw Missing(kms.Type.Length > 0 ? "kms.type" : "kms.uri", KeyManagerRegistry.MissingMessage("kms type", KmsType));
        await GetAsync(registration, kms, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The manager that opens <paramref name="keyName"/>: the one registered for its URI scheme; a name
    /// without a registered scheme of its own (a Cloud KMS resource name, an AWS key ARN, a plain name)
    /// belongs to the <c>kms</c> block's manager, as step-ca hands every key to that one; without a
    /// <c>kms</c> block (or with softkms) a plain name is a softkms file path.
    /// </summary>
    /// <exception cref="CaConfigException">No key manager is registered for the scheme; names <paramref name="field"/>.</exception>
    public ValueTask<IKeyManager> ForKeyAsync(string keyName, string field, CancellationToken cancellationToken)
    {
        var (scheme, named) = registry.Route(keyName, KmsType);
        var registration = registry.FindByScheme(scheme) ?? registry.FindByType(scheme)
            ?? throw Missing(field, KeyManagerRegistry.MissingMessage(named ? "key URI scheme" : "kms type", scheme));
        // The kms block configures the manager of its own type; another scheme's manager gets a block naming just its type.
        var config = kms is not null && string.Equals(registration.Type, KmsType, StringComparison.OrdinalIgnoreCase)
            ? kms
            : KeyManagerRegistry.ImpliedConfig(registration.Type);
        return GetAsync(registration, config, cancellationToken);
    }

    /// <summary>
    /// True when <paramref name="keyName"/> is a softkms file path, to be resolved like other ca.json
    /// paths: a plain name routed to softkms (<see cref="KeyManagerRegistry.Route"/>); a key URI, or a
    /// plain name the kms block's manager opens (a Cloud KMS resource name), is passed as it is.
    /// </summary>
    public bool IsFilePath(string keyName) =>
        registry.Route(keyName, KmsType) is (KeyManagerRegistry.SoftKmsType, false);

    /// <summary>Disposes every manager created (each once); idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        List<Exception>? failures = null;
        foreach (var manager in _created.Values)
        {
            try
            {
                await manager.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                (failures ??= []).Add(e);
            }
        }
        _created.Clear();
        if (failures is not null)
        {
            throw new AggregateException("releasing key managers failed", failures);
        }
    }

    private async ValueTask<IKeyManager> GetAsync(KeyManagerRegistration registration, KmsConfig config, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!_created.TryGetValue(registration, out var manager))
        {
            manager = await registration.CreateAsync(new KeyManagerContext(config, services), cancellationToken).ConfigureAwait(false);
            _created.Add(registration, manager);
        }
        return manager;
    }

    private static CaConfigException Missing(string field, string message) => new("ca.json", [ConfigDiagnostic.Error(field, message)]);
}
