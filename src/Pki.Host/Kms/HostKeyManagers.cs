using Smallstep.Pki.Configuration;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Host.Kms;

/// <summary>
/// The key managers the host registers, in one place: <c>serve</c> composes the CA with them and
/// <c>kms create</c> / <c>init --kms</c> open a manager through the same registrations, so every
/// registered <c>kms.type</c> works in all three (a key manager added here needs nothing else).
/// </summary>
internal static class HostKeyManagers
{
    /// <summary>softkms (with the host's passwords), PKCS#11, YubiKey, AWS KMS, Google Cloud KMS and Azure Key Vault.</summary>
    public static PkiBuilder AddHostKeyManagers(this PkiBuilder builder, PasswordSource passwords) => builder
        .AddSoftKms(o => o.PasswordProvider = path => passwords.Get(path))
        .AddPkcs11Kms()
        .AddYubiKeyKms()
        .AddAwsKms()
        .AddGoogleCloudKms()
        .AddAzureKms();

    /// <summary>
    /// Opens the manager a <c>--kms</c> URI selects by its scheme, exactly as the authority would for
    /// a ca.json <c>kms: {type, uri}</c> block. Dispose the result.
    /// </summary>
    /// <exception cref="UsageException">No registered key manager has the URI's scheme.</exception>
    /// <exception cref="CaConfigException">The manager refused the URI (names <c>kms.uri</c>).</exception>
    public static async Task<OpenedKeyManager> OpenAsync(string kmsUri, PasswordSource passwords, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPki().AddHostKeyManagers(passwords);
        var provider = services.BuildServiceProvider();
        try
        {
            var registry = new KeyManagerRegistry(provider.GetServices<KeyManagerRegistration>());
            var kms = new KmsConfig { Type = KeyManagerRegistry.SchemeOf(kmsUri), Uri = kmsUri };
            var registration = registry.FindByType(kms.Type)
                ?? throw new UsageException($"--kms {kms.Type}: no key manager is registered for that type (registered: {string.Join(", ", registry.Types.Order())})");
            var manager = await registration.CreateAsync(new KeyManagerContext(kms, provider), cancellationToken).ConfigureAwait(false);
            return new OpenedKeyManager(manager, kms, provider);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

/// <summary>A key manager opened for a command, with the <c>kms</c> block that opens it again.</summary>
/// <param name="Manager">The manager.</param>
/// <param name="Kms">The ca.json <c>kms</c> block: <c>{type, uri}</c>.</param>
/// <param name="Services">The services it was created with.</param>
internal sealed record OpenedKeyManager(IKeyManager Manager, KmsConfig Kms, ServiceProvider Services) : IAsyncDisposable
{
    /// <summary>Closes the manager, then the services.</summary>
    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync().ConfigureAwait(false);
        await Services.DisposeAsync().ConfigureAwait(false);
    }
}
