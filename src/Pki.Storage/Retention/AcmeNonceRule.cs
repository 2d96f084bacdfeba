using Smallstep.Pki.Storage.Acme;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Removes ACME nonces created before the cutoff. A nonce is deleted when it is used, so the rows
/// left are nonces clients fetched and never sent; RFC 8555 §6.5 lets a server forget nonces (the
/// client gets <c>badNonce</c> with a fresh one and retries). Rows without a readable
/// <c>CreatedAt</c> stay.
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
            if (AcmeRow.Parse(row.Value)?.Time("CreatedAt") is not { } created)
            {
                context.Keep("ACME nonces without a readable CreatedAt");
                continue;
            }
            if (created < context.Cutoff)
            {
                await context.DeleteAsync(AcmeTables.Nonces, row.Key).ConfigureAwait(false);
            }
        }
        await context.FlushAsync().ConfigureAwait(false);
    }
}
