using Smallstep.Pki.Storage.Acme;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Removes ACME orders whose <c>expiresAt</c> is before the cutoff, with their Wire DPoP/OIDC token
/// rows (keyed by order ID). The cutoff is at least an hour in the past, so such an order is finished
/// (<c>valid</c>/<c>invalid</c>) or abandoned: step-ca turns a pending or ready order past its expiry
/// into <c>invalid</c> (acme/order.go <c>UpdateStatus</c>). Orders without a readable expiry stay.
/// </summary>
internal sealed class AcmeOrderRule : IPruneRule
{
    /// <inheritdoc />
    public async Task RunAsync(PruneContext context)
    {
        if (!context.Has(AcmeTables.Orders))
        {
            return;
        }
        await foreach (var row in context.Store.ScanAsync(AcmeTables.Orders, null, context.CancellationToken).ConfigureAwait(false))
        {
            if (AcmeRow.Parse(row.Value)?.Time("expiresAt") is not { } expires)
            {
                context.Keep("ACME orders without a readable expiresAt");
                continue;
            }
            if (expires >= context.Cutoff)
            {
                continue;
            }
            await context.DeleteAsync(AcmeTables.Orders, row.Key).ConfigureAwait(false);
            foreach (var wire in (string[])[AcmeTables.WireDpopTokens, AcmeTables.WireOidcTokens])
            {
                if (context.Has(wire) && await context.Store.GetAsync(wire, row.Key, context.CancellationToken).ConfigureAwait(false) is not null)
                {
                    await context.DeleteAsync(wire, row.Key).ConfigureAwait(false);
                }
            }
        }
        await context.FlushAsync().ConfigureAwait(false);
    }
}
