namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>Limits and timings of the ACME server, shared by every ACME provisioner. Validated at start-up.</summary>
public sealed class AcmeServerOptions
{
    /// <summary>How long a nonce may be used after it was issued (RFC 8555 §7.2; step-ca's never expire). Default 1 hour.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an order and its authorizations stay pending (step-ca: 24 hours).</summary>
    public TimeSpan OrderLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most identifiers one order may name. Default 100.</summary>
    public int MaxIdentifiersPerOrder { get; set; } = 100;

    /// <summary>The largest JWS request body accepted, in bytes. Default 64 KiB.</summary>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Validation attempts per challenge before it becomes invalid. Default 5.</summary>
    public int MaxValidationAttempts { get; set; } = 5;

    /// <summary>The delay before the second attempt; doubled for each further one. Default 2 seconds.</summary>
    public TimeSpan ValidationRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Challenges validated at once; more wait in the queue. Default 16.</summary>
    public int MaxConcurrentValidations { get; set; } = 16;

    /// <summary>Challenges waiting for validation; beyond that a challenge POST is answered <c>rateLimited</c>. Default 10000.</summary>
    public int MaxQueuedValidations { get; set; } = 10_000;
}
