using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Removes <c>used_ott</c> rows of tokens that expired before the cutoff: an expired token is refused
/// anyway, so forgetting that it was used cannot let it be replayed. The value is the raw token; its
/// <c>exp</c> is read without verifying the signature. A row is removed only when its key is derived
/// from that one token (the <c>jti</c>, OIDC's <c>nonce</c>, or the SHA-256 hex of the token,
/// tokens.md §7): AWS/GCP trust-on-first-use keys (derived from the instance) and Azure keys stand for
/// "this machine already got a certificate" and must outlive any token, so they stay, as does every
/// row whose token cannot be read or has no <c>exp</c>.
/// </summary>
internal sealed class UsedTokenRule : IPruneRule
{
    /// <inheritdoc />
    public async Task RunAsync(PruneContext context)
    {
        if (!context.Has(StepTables.UsedOtt))
        {
            return;
        }
        await foreach (var row in context.Store.ScanAsync(StepTables.UsedOtt, null, context.CancellationToken).ConfigureAwait(false))
        {
            switch (Classify(row))
            {
                case Verdict.Expired:
                    await context.DeleteAsync(StepTables.UsedOtt, row.Key).ConfigureAwait(false);
                    break;
                case Verdict.Unreadable:
                    context.Keep("used tokens without a readable exp");
                    break;
                case Verdict.NotTokenKey:
                    context.Keep("used-token keys that outlive tokens (cloud trust on first use)");
                    break;
            }
        }
        await context.FlushAsync().ConfigureAwait(false);

        Verdict Classify(KeyValueEntry row)
        {
            UnverifiedToken token;
            try
            {
                token = UnverifiedToken.Parse(Encoding.UTF8.GetString(row.Value));
            }
            catch (PkiException)
            {
                return Verdict.Unreadable;
            }
            if (!token.Claims.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number || !exp.TryGetDouble(out var seconds))
            {
                return Verdict.Unreadable;
            }
            if (DateTimeOffset.UnixEpoch.AddSeconds(Math.Clamp(seconds, 0, 253402300799)) >= context.Cutoff)
            {
                return Verdict.Live;
            }
            var key = Encoding.UTF8.GetString(row.Key);
            return key == Claim(token, "jti") || key == Claim(token, "nonce") || key == Convert.ToHexStringLower(SHA256.HashData(row.Value))
                ? Verdict.Expired
                : Verdict.NotTokenKey;
        }
    }

    private static string? Claim(UnverifiedToken token, string name) =>
        token.Claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private enum Verdict
    {
        Live,
        Expired,
        Unreadable,
        NotTokenKey,
    }
}
