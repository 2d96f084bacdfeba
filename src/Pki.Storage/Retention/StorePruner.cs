using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Removes data step-ca never removes and that only grows: certificates that expired (not revoked
/// ones), used one-time tokens past their <c>exp</c>, and finished or abandoned ACME orders,
/// authorizations, challenges, unused nonces and ACME certificate copies. Never removes a revocation,
/// anything of a certificate that is still valid, trust-on-first-use token keys, accounts, EAB keys,
/// SSH host/user indexes, admin rows or the CRL. Rows it cannot decode are kept.
/// </summary>
/// <remarks>
/// Tables are read with paged scans and rows deleted in transactions of at most
/// <see cref="PruneOptions.BatchSize"/>, so a prune of millions of rows holds no long lock and can
/// run beside a serving CA (also on another node of the same database). Interrupted, it leaves a
/// consistent store; running it again continues the work. Thread-safe; concurrent runs only repeat
/// each other's work.
/// </remarks>
/// <param name="store">The store; tables that do not exist are skipped.</param>
/// <param name="time">The clock that decides what "at least an hour ago" is; <see cref="TimeProvider.System"/> when null.</param>
public sealed class StorePruner(IKeyValueStore store, TimeProvider? time = null)
{
    private static readonly IPruneRule[] Rules =
    [
        new AcmeOrderRule(),
        new AcmeAccountOrdersIndexRule(),
        new AcmeAuthorizationRule(),
        new AcmeNonceRule(),
        new AcmeCertificateRule(),
        ExpiredCertificateRule.X509,
        ExpiredCertificateRule.Ssh,
        new UsedTokenRule(),
    ];

    private readonly IKeyValueStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// How far in the past the cutoff must be at least: more than the 60 s clock skew tokens are
    /// accepted with, and more than the hour after expiry during which step-ca still lists a revoked
    /// certificate on the CRL.
    /// </summary>
    public static TimeSpan MinimumAge { get; } = TimeSpan.FromHours(1);

    /// <summary>Runs every rule once.</summary>
    /// <exception cref="PkiException">Kind BadRequest: the cutoff is less than <see cref="MinimumAge"/> ago.
    /// Storage failures as the store reports them (deletions applied before a failure stay applied).</exception>
    public async Task<PruneReport> PruneAsync(PruneOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var latest = _time.GetUtcNow() - MinimumAge;
        if (options.ExpiredBefore > latest)
        {
            throw PkiException.BadRequest($"the prune cutoff {options.ExpiredBefore:u} must be at least {MinimumAge.TotalMinutes:F0} minutes in the past (at most {latest:u})");
        }
        var tables = (await _store.ListTablesAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var context = new PruneContext(_store, options, tables, cancellationToken);
        foreach (var rule in Rules)
        {
            await rule.RunAsync(context).ConfigureAwait(false);
        }
        return context.Report();
    }
}
