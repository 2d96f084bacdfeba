namespace Smallstep.Pki.Provisioners.Acme.RateLimits;

/// <summary>At most <paramref name="Limit"/> events per <paramref name="Window"/>, with bursts of up to <paramref name="Limit"/>.</summary>
/// <param name="Limit">Events allowed per window (at least 1).</param>
/// <param name="Window">The window (positive).</param>
public sealed record AcmeRateLimit(int Limit, TimeSpan Window)
{
    /// <summary>The time one event uses up: <see cref="Window"/> / <see cref="Limit"/>.</summary>
    public TimeSpan EmissionInterval => Window / Limit;
}

/// <summary>
/// The rate limits of one ACME provisioner (its <c>rateLimits</c> block, our addition to step-ca's
/// ACME provisioner; step-ca has none). Every limit is off unless set. Limits count per host
/// process: with several nodes each enforces its own share.
/// </summary>
public sealed record AcmeRateLimitOptions
{
    /// <summary>No limits (the default).</summary>
    public static AcmeRateLimitOptions None { get; } = new();

    /// <summary><c>newAccountsPerAddress</c>: new accounts per client IP address (RFC 8555 §7.3).</summary>
    public AcmeRateLimit? NewAccountsPerAddress { get; init; }

    /// <summary><c>newOrdersPerAccount</c>: new orders per account (RFC 8555 §7.4).</summary>
    public AcmeRateLimit? NewOrdersPerAccount { get; init; }

    /// <summary><c>maxPendingAuthorizationsPerAccount</c>: pending authorizations an account may hold; a new order that would exceed it is refused.</summary>
    public int? MaxPendingAuthorizationsPerAccount { get; init; }

    /// <summary>True when any limit is set.</summary>
    public bool Any => NewAccountsPerAddress is not null || NewOrdersPerAccount is not null || MaxPendingAuthorizationsPerAccount is not null;
}
