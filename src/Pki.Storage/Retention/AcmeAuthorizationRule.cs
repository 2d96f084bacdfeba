using Smallstep.Pki.Storage.Acme;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Removes ACME authorizations whose <c>expiresAt</c> is before the cutoff, with the challenges they
/// list (<c>challengeIDs</c>): challenges carry no expiry of their own and belong to exactly one
/// authorization (acme/db/nosql/authz.go). Authorizations without a readable expiry stay, and so do
/// their challenges.
/// </summary>
internal sealed class AcmeAuthorizationRule : IPruneRule
{
    /// <inheritdoc />
    public async Task RunAsync(PruneContext context)
    {
        if (!context.Has(AcmeTables.Authorizations))
        {
            return;
        }
        var challenges = context.Has(AcmeTables.Challenges);
        await foreach (var row in context.Store.ScanAsync(AcmeTables.Authorizations, null, context.CancellationToken).ConfigureAwait(false))
        {
            var authorization = AcmeRow.Parse(row.Value);
            if (authorization?.Time("expiresAt") is not { } expires)
            {
                context.Keep("ACME authorizations without a readable expiresAt");
                continue;
            }
            if (expires >= context.Cutoff)
            {
                continue;
            }
            await context.DeleteAsync(AcmeTables.Authorizations, row.Key).ConfigureAwait(false);
            if (!challenges)
            {
                continue;
            }
            foreach (var id in authorization.Strings("challengeIDs").Distinct(StringComparer.Ordinal))
            {
                var key = PruneContext.Key(id);
                if (key.Length is > 0 and <= 255 && await context.Store.GetAsync(AcmeTables.Challenges, key, context.CancellationToken).ConfigureAwait(false) is not null)
                {
                    await context.DeleteAsync(AcmeTables.Challenges, key).ConfigureAwait(false);
                }
            }
        }
        await context.FlushAsync().ConfigureAwait(false);
    }
}
