using Microsoft.Extensions.Logging;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Authority;

/// <summary>What an <see cref="AuthorityRuntime"/> is composed with, besides ca.json; kept across reloads.</summary>
/// <param name="KeyManagers">The registered key managers; each generation creates its instances through them.</param>
/// <param name="Stores">The stores the authority writes to.</param>
/// <param name="ProvisionerTypes">The registered provisioner types.</param>
/// <param name="Services">Given to key manager factories (options, password sources).</param>
public sealed record AuthorityComponents(KeyManagerRegistry KeyManagers, AuthorityStores Stores, IEnumerable<ProvisionerTypeRegistration> ProvisionerTypes, IServiceProvider Services)
{
    /// <summary>The clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Loggers.</summary>
    public ILoggerFactory Loggers { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    /// <summary>Where provisioner entries come from, read again on every reload (ca.json's alone by default).</summary>
    public IReadOnlyList<IProvisionerSource> ProvisionerSources { get; init; } = [CaJsonProvisionerSource.Instance];
}
