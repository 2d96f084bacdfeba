using Smallstep.Pki.Acme;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>Which key a request must be signed with (RFC 8555 §6.2).</summary>
public enum AcmeKeyRule
{
    /// <summary>A <c>kid</c> naming an existing, valid account of this provisioner.</summary>
    Account,
    /// <summary>An embedded <c>jwk</c> (new-account).</summary>
    EmbeddedKey,
    /// <summary>Either (revoke-cert: by account, or by the certificate's key).</summary>
    Either,
}

/// <summary>A request whose JWS passed every check.</summary>
/// <param name="Jws">The JWS.</param>
/// <param name="Account">The signing account (<c>kid</c> requests), as read.</param>
/// <param name="Key">The key that verified the signature.</param>
public sealed record AcmeVerifiedRequest(AcmeJws Jws, AcmeVersioned<AcmeAccount>? Account, JsonWebKey Key);

/// <summary>
/// Checks a JWS request in step-ca's order (reference §1.4; RFC 8555 §6.2–6.4): algorithm, nonce
/// (consumed once), <c>url</c> equal to the request URL, exactly one of <c>jwk</c>/<c>kid</c>, the
/// account (its stored location, its provisioner, its status), then the signature. Thread-safe.
/// </summary>
public sealed class AcmeRequestVerifier(IAcmeStore store, AcmeNonces nonces)
{
    /// <summary>Verifies <paramref name="jws"/>, sent to <paramref name="requestUrl"/> of <paramref name="provisioner"/> whose account URLs start with <paramref name="accountPrefix"/>.</summary>
    public async ValueTask<AcmeVerifiedRequest> VerifyAsync(AcmeJws jws, string requestUrl, AcmeProvisioner provisioner, string accountPrefix, AcmeKeyRule rule,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jws);
        ArgumentNullException.ThrowIfNull(provisioner);
        if (!jws.HasAllowedAlgorithm)
        {
            throw AcmeErrors.Problem("badSignatureAlgorithm", $"unsupported signature algorithm \"{jws.Algorithm}\"");
        }
        await nonces.ConsumeAsync(jws.Nonce, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(jws.Url, requestUrl, StringComparison.Ordinal))
        {
            throw AcmeErrors.Unauthorized($"the JWS url \"{jws.Url}\" is not the request URL \"{requestUrl}\"");
        }
        if ((jws.Key is null) == (jws.KeyId is null))
        {
            throw AcmeErrors.Malformed("the JWS must carry exactly one of jwk and kid");
        }
        if (jws.Key is { } embedded)
        {
            if (rule == AcmeKeyRule.Account)
            {
                throw AcmeErrors.Malformed("this request must be signed by an account (kid)");
            }
            JsonWebKey key;
            try
            {
                key = JsonWebKey.Parse(embedded);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or System.Text.Json.JsonException or System.Security.Cryptography.CryptographicException)
            {
                throw AcmeErrors.Problem("badPublicKey", "the JWS jwk is not a usable public key: " + e.Message);
            }
            if (key.HasPrivateKey)
            {
                throw AcmeErrors.Malformed("the JWS jwk must be a public key");
            }
            Check(jws, key);
            return new AcmeVerifiedRequest(jws, null, key);
        }
        if (rule == AcmeKeyRule.EmbeddedKey)
        {
            throw AcmeErrors.Malformed("this request must carry the account key (jwk), not a kid");
        }
        var kid = jws.KeyId!;
        var id = kid[(kid.LastIndexOf('/') + 1)..];
        var account = await store.GetAccountAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw AcmeErrors.Problem("accountDoesNotExist", "the account does not exist");
        if (account.Value.LocationPrefix.Length > 0)
        {
            if (!string.Equals(account.Value.LocationPrefix + id, kid, StringComparison.Ordinal) || !BelongsTo(account.Value, provisioner))
            {
                throw AcmeErrors.Unauthorized("the kid is not the location of an account of this provisioner");
            }
        }
        else if (!kid.StartsWith(accountPrefix, StringComparison.Ordinal))
        {
            // Accounts of step-ca before 0.20 store no location: step-ca's original prefix check.
            throw AcmeErrors.Malformed("the kid is not an account URL of this provisioner");
        }
        if (account.Value.Status != AcmeStatus.Valid)
        {
            throw AcmeErrors.Unauthorized($"the account is {account.Value.Status}");
        }
        var accountKey = AccountKey(account.Value);
        Check(jws, accountKey);
        return new AcmeVerifiedRequest(jws, account, accountKey);
    }

    /// <summary>
    /// Whether <paramref name="account"/> was created through <paramref name="provisioner"/>: by id when
    /// stored, else by name (step-ca middleware.go); accounts of step-ca before 0.20 store neither and match any.
    /// </summary>
    public static bool BelongsTo(AcmeAccount account, AcmeProvisioner provisioner)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(provisioner);
        return account.ProvisionerId.Length > 0 ? account.ProvisionerId == provisioner.Id : account.ProvisionerName.Length == 0 || account.ProvisionerName == provisioner.Name;
    }

    /// <summary>The account's public key.</summary>
    public static JsonWebKey AccountKey(AcmeAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return JsonWebKey.Parse(account.KeyJson);
    }

    private static void Check(AcmeJws jws, JsonWebKey key)
    {
        if (!key.Accepts(jws.Algorithm))
        {
            throw AcmeErrors.Problem("badSignatureAlgorithm", $"algorithm \"{jws.Algorithm}\" does not fit the {key.KeyType} key");
        }
        if (!jws.Verify(key))
        {
            throw AcmeErrors.Malformed("the JWS signature is not valid");
        }
    }
}
