using System.Net;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Acme.RateLimits;

/// <summary>
/// Applies an ACME provisioner's <see cref="AcmeRateLimitOptions"/> (off unless configured):
/// new accounts per client address (RFC 8555 §7.3), new orders per account and pending
/// authorizations per account (§7.4). A refusal is a <c>rateLimited</c> problem (429) with
/// <c>Retry-After</c> (§6.6). The counters are this process's; nothing is written. Thread-safe.
/// </summary>
public sealed class AcmeRateLimits(IAcmeStore store, TimeProvider time)
{
    private readonly AcmeRateLimiter _limiter = new(time);

    /// <summary>Counts a new account from <paramref name="address"/>, or refuses it.</summary>
    public void TakeNewAccount(AcmeProvisioner provisioner, IPAddress? address)
    {
        ArgumentNullException.ThrowIfNull(provisioner);
        if (provisioner.RateLimits.NewAccountsPerAddress is { } limit && address is not null)
        {
            Take($"{provisioner.Name}\nnew-account\n{address}", limit, "new accounts from this address");
        }
    }

    /// <summary>
    /// Refuses a new order of <paramref name="accountId"/> that would exceed the pending authorization
    /// limit with its <paramref name="newAuthorizations"/>, then counts it against the order rate.
    /// </summary>
    public async ValueTask TakeNewOrderAsync(AcmeProvisioner provisioner, string accountId, int newAuthorizations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provisioner);
        var limits = provisioner.RateLimits;
        if (limits.MaxPendingAuthorizationsPerAccount is { } max)
        {
            var pending = await PendingAuthorizationsAsync(accountId, cancellationToken).ConfigureAwait(false);
            if (pending + newAuthorizations > max)
            {
                throw Refused($"the account has {pending} pending authorizations; at most {max} are allowed", null);
            }
        }
        if (limits.NewOrdersPerAccount is { } limit)
        {
            Take($"{provisioner.Name}\nnew-order\n{accountId}", limit, "new orders for this account");
        }
    }

    // The account's order index holds its pending and ready orders (step-ca prunes it on read);
    // the identifiers of its pending orders are its pending authorizations.
    private async ValueTask<int> PendingAuthorizationsAsync(string accountId, CancellationToken cancellationToken)
    {
        var pending = 0;
        foreach (var id in await store.GetOrderIdsAsync(accountId, cancellationToken).ConfigureAwait(false))
        {
            if (await store.GetOrderAsync(id, cancellationToken).ConfigureAwait(false) is { Value: { Status: AcmeStatus.Pending } order }
                && order.ExpiresAt > time.GetUtcNow())
            {
                pending += order.AuthorizationIds.Count;
            }
        }
        return pending;
    }

    private void Take(string key, AcmeRateLimit limit, string what)
    {
        if (_limiter.TryTake(key, limit) is { } wait)
        {
            throw Refused($"too many {what}: at most {limit.Limit} per {limit.Window}", wait);
        }
    }

    private static PkiException Refused(string detail, TimeSpan? retryAfter) =>
        new(PkiErrorKind.RateLimited, detail) { ProblemType = AcmeProblem.UrnPrefix + "rateLimited", ClientMessage = detail, RetryAfter = retryAfter };
}
