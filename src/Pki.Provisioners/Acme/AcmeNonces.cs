using Smallstep.Pki.Acme;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// Issues and consumes nonces (RFC 8555 §7.2) in the shared store, so any node accepts a nonce
/// another issued, exactly once, within <see cref="AcmeServerOptions.NonceLifetime"/>. Thread-safe.
/// </summary>
public sealed class AcmeNonces(IAcmeStore store, TimeProvider time, Microsoft.Extensions.Options.IOptions<AcmeServerOptions> options)
{
    /// <summary>Stores and returns a fresh nonce.</summary>
    public async ValueTask<string> CreateAsync(CancellationToken cancellationToken)
    {
        var nonce = AcmeIds.NewNonce();
        await store.CreateNonceAsync(nonce, AcmeClock.Now(time), cancellationToken).ConfigureAwait(false);
        return nonce;
    }

    /// <summary>Consumes <paramref name="nonce"/>; throws <c>badNonce</c> when it is unknown, used or expired.</summary>
    public async ValueTask ConsumeAsync(string? nonce, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 255
            || !await store.ConsumeNonceAsync(nonce, time.GetUtcNow() - options.Value.NonceLifetime, cancellationToken).ConfigureAwait(false))
        {
            throw AcmeErrors.Problem("badNonce", "the nonce is unknown, used or expired");
        }
    }
}

/// <summary>The ACME clock: UTC truncated to seconds, as step-ca stores times (acme/common.go <c>clock.Now</c>).</summary>
public static class AcmeClock
{
    /// <summary>Now, in UTC, whole seconds.</summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
