using System.Text;

using Smallstep.Pki.Storage.Acme;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Drops removed orders from <c>acme_account_orders_index</c> (account ID → JSON array of order IDs).
/// step-ca loads every order listed there when an account asks for its orders and fails if one is
/// missing (acme/db/nosql/order.go <c>updateAddOrderIDs</c>), so an index must never name a deleted
/// order. Each row is rewritten with compare-and-swap against the bytes read, as step-ca writes it
/// (Go's <c>json.Marshal</c> of a string slice); a row that becomes empty is deleted in the same
/// transaction as the comparison. A row changed meanwhile is left for the next prune.
/// </summary>
internal sealed class AcmeAccountOrdersIndexRule : IPruneRule
{
    /// <inheritdoc />
    public async Task RunAsync(PruneContext context)
    {
        if (!context.Has(AcmeTables.AccountOrdersIndex) || !context.Has(AcmeTables.Orders))
        {
            return;
        }
        await foreach (var row in context.Store.ScanAsync(AcmeTables.AccountOrdersIndex, null, context.CancellationToken).ConfigureAwait(false))
        {
            var ids = ParseIds(row.Value);
            if (ids is null)
            {
                continue;
            }
            var kept = new List<string>(ids.Count);
            foreach (var id in ids)
            {
                if (await context.Store.GetAsync(AcmeTables.Orders, PruneContext.Key(id), context.CancellationToken).ConfigureAwait(false) is not null)
                {
                    kept.Add(id);
                }
            }
            if (kept.Count == ids.Count)
            {
                continue;
            }
            if (kept.Any(id => !id.All(char.IsAsciiLetterOrDigit)))
            {
                // step-ca's IDs are alphanumeric; anything else might not re-encode byte-identically.
                context.Keep("ACME order index rows with unusual IDs");
                continue;
            }
            context.IndexRowsRewritten++;
            if (context.DryRun)
            {
                continue;
            }
            KeyValueOperation[] rewrite = kept.Count == 0
                ? [KeyValueOperation.CompareAndSwap(AcmeTables.AccountOrdersIndex, row.Key, row.Value, row.Value), KeyValueOperation.Delete(AcmeTables.AccountOrdersIndex, row.Key)]
                : [KeyValueOperation.CompareAndSwap(AcmeTables.AccountOrdersIndex, row.Key, row.Value, Encode(kept))];
            if (!(await context.Store.ApplyAsync(rewrite, context.CancellationToken).ConfigureAwait(false)).Committed)
            {
                context.IndexRowsRewritten--;
                context.Keep("ACME order index rows changed during the prune");
            }
        }
    }

    private static IReadOnlyList<string>? ParseIds(byte[] value)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(value);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array
                && document.RootElement.EnumerateArray().All(e => e.ValueKind == System.Text.Json.JsonValueKind.String)
                ? document.RootElement.EnumerateArray().Select(e => e.GetString()!).ToArray()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    // json.Marshal([]string) of alphanumeric IDs: ["a","b"], no spaces.
    private static byte[] Encode(List<string> ids) => Encoding.ASCII.GetBytes("[\"" + string.Join("\",\"", ids) + "\"]");
}
