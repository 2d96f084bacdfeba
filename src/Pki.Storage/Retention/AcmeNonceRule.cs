using Smallstep.Pki.Storage.Acme;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Removes ACME nonce rows that can no longer matter. Our rows record <em>used</em> nonces and carry
/// the nonce's own <c>ExpiresAt</c>: they go once that is before the cutoff, never earlier, because an
/// unexpired nonce forgotten could be replayed. step-ca's rows (unused nonces, no <c>ExpiresAt</c>)
/// go when created before the cutoff: RFC 8555 §6.5 lets a server forget nonces (the client gets
/// <c>badNonce</c> with a fresh one and retries). Rows without a readable time stay.
/// </summary>
internal sealed class AcmeNonceRule : IPruneRule
{
    /// <inheritdoc />
    public async Task RunAsync(PruneContext context)
    {
        if (!context.Has(AcmeTables.Nonces))
        {
            return;
        }
        await foreach (var row in context.Store.ScanAsync(AcmeTables.Nonces, null, context.CancellationToken).ConfigureAwait(false))
        {
            var parsed = AcmeRow.Parse(row.Value);
            if ((parsed?.Time("ExpiresAt") ?? parsed?.Time("CreatedAt")) is not { } forgettableAfter)
            {
                context.Keep("ACME nonces without a readable CreatedAt");
                continue;
            }
            if (forgettableAfter < context.Cutoff)
            {
                await context.DeleteAsync(AcmeTables.Nonces, row.Key).ConfigureAwait(false);
            }
        }
        await context.FlushAsync().ConfigureAwait(false);
    }
}
