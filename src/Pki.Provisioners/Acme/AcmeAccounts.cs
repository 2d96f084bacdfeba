using System.Text.Json;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>Account resources (RFC 8555 §7.3): new-account, update, deactivation and key rollover. Thread-safe.</summary>
public sealed class AcmeAccounts(IAcmeStore store, AcmeExternalAccountBinding binding, RateLimits.AcmeRateLimits limits, TimeProvider time)
{
    /// <summary>new-account (§7.3): 201 for a new account, 200 for the key's existing one.</summary>
    public async ValueTask<AcmeResult> NewAccountAsync(AcmeVerifiedRequest request, AcmeProvisioner provisioner, AcmeLinks links, CancellationToken cancellationToken,
        System.Net.IPAddress? clientAddress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provisioner);
        ArgumentNullException.ThrowIfNull(links);
        var payload = AcmePayload.Object(request.Jws);
        var contacts = AcmePayload.Strings(payload, "contact") ?? [];
        var onlyExisting = AcmePayload.Boolean(payload, "onlyReturnExisting");
        if (onlyExisting && contacts.Length > 0)
        {
            throw AcmeErrors.Malformed("onlyReturnExisting must not come with contacts");
        }
        var thumbprint = request.Key.Thumbprint();
        var existing = await store.GetAccountByKeyThumbprintAsync(thumbprint, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (!AcmeRequestVerifier.BelongsTo(existing.Value, provisioner))
            {
                throw AcmeErrors.Unauthorized("the key belongs to an account of another provisioner");
            }
            if (existing.Value.Status != AcmeStatus.Valid)
            {
                throw AcmeErrors.Unauthorized($"the account is {existing.Value.Status}");
            }
            return new AcmeResult(200, AcmeViews.Account(existing.Value, links)) { Location = links.Account(existing.Value.Id) };
        }
        if (onlyExisting)
        {
            throw AcmeErrors.Problem("accountDoesNotExist", "no account has this key");
        }
        CheckContacts(contacts);
        AcmeVersioned<AcmeExternalAccountKey>? eab = null;
        // RFC 8555 §7.3.4 lets a server that does not require a binding ignore one; step-ca does. A
        // binding that is sent is verified and consumed here whether or not it is required, so a
        // client never believes a stale or mistyped key bound its account.
        if (payload.TryGetProperty("externalAccountBinding", out var eabJson) && eabJson.ValueKind != JsonValueKind.Null)
        {
            eab = eabJson.ValueKind == JsonValueKind.Object
                ? await binding.VerifyAsync(eabJson, request.Jws.Url!, request.Key, provisioner, cancellationToken).ConfigureAwait(false)
                : throw AcmeErrors.Malformed("externalAccountBinding must be a JWS object");
        }
        else if (provisioner.Options.RequireEab)
        {
            throw AcmeErrors.Problem("externalAccountRequired", "this provisioner requires an external account binding");
        }
        limits.TakeNewAccount(provisioner, clientAddress);
        var account = new AcmeAccount(AcmeIds.New(), request.Key.ToPublic().ToJson(), contacts, AcmeStatus.Valid, links.AccountPrefix, provisioner.Id, provisioner.Name,
            AcmeClock.Now(time), DateTimeOffset.MinValue);
        if (!await store.CreateAccountAsync(account, thumbprint, eab, cancellationToken).ConfigureAwait(false))
        {
            // Another request created the key's account (or bound the EAB key) meanwhile.
            var winner = await store.GetAccountByKeyThumbprintAsync(thumbprint, cancellationToken).ConfigureAwait(false);
            return winner is not null && winner.Value.ProvisionerName == provisioner.Name
                ? new AcmeResult(200, AcmeViews.Account(winner.Value, links)) { Location = links.Account(winner.Value.Id) }
                : throw AcmeErrors.Unauthorized("the external account key was bound meanwhile");
        }
        return new AcmeResult(201, AcmeViews.Account(account, links)) { Location = links.Account(account.Id) };
    }

    /// <summary>Account POST (§7.3.2, §7.3.6): POST-as-GET, a contact update, or deactivation.</summary>
    public async ValueTask<AcmeResult> UpdateAsync(AcmeVerifiedRequest request, string accountId, AcmeLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = Owned(request, accountId);
        if (request.Jws.IsPostAsGet)
        {
            return new AcmeResult(200, AcmeViews.Account(current.Value, links)) { Location = links.Account(accountId) };
        }
        var payload = AcmePayload.Object(request.Jws);
        var contacts = AcmePayload.Strings(payload, "contact");
        var status = AcmePayload.String(payload, "status");
        if (contacts is not null && status is not null)
        {
            throw AcmeErrors.Malformed("update either the contacts or the status, not both");
        }
        AcmeAccount updated;
        if (status is not null)
        {
            updated = status == AcmeStatus.Deactivated
                ? current.Value with { Status = AcmeStatus.Deactivated, DeactivatedAt = AcmeClock.Now(time) }
                : throw AcmeErrors.Malformed("an account status can only become \"deactivated\"");
        }
        else if (contacts is not null)
        {
            CheckContacts(contacts);
            updated = current.Value with { Contact = contacts };
        }
        else
        {
            updated = current.Value;
        }
        if (!ReferenceEquals(updated, current.Value) && !await store.UpdateAccountAsync(current, updated, cancellationToken).ConfigureAwait(false))
        {
            throw Changed();
        }
        return new AcmeResult(200, AcmeViews.Account(updated, links)) { Location = links.Account(accountId) };
    }

    /// <summary>
    /// key-change (§7.3.5; step-ca answers 501): the payload is a JWS by the new key whose payload
    /// names the account and its old key; the index entry moves with the account in one transaction.
    /// </summary>
    public async ValueTask<AcmeResult> KeyChangeAsync(AcmeVerifiedRequest request, AcmeLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(links);
        var account = request.Account ?? throw AcmeErrors.Malformed("key-change must be signed by the account (kid)");
        var inner = AcmeJws.Parse(request.Jws.Payload);
        if (!inner.HasAllowedAlgorithm)
        {
            throw AcmeErrors.Problem("badSignatureAlgorithm", $"unsupported signature algorithm \"{inner.Algorithm}\"");
        }
        if (inner.Key is not { } jwk || inner.KeyId is not null)
        {
            throw AcmeErrors.Malformed("the inner JWS must carry the new key (jwk) and no kid");
        }
        if (inner.Nonce is not null)
        {
            throw AcmeErrors.Malformed("the inner JWS must not carry a nonce");
        }
        if (!string.Equals(inner.Url, request.Jws.Url, StringComparison.Ordinal))
        {
            throw AcmeErrors.Unauthorized("the inner JWS url differs from the outer one");
        }
        JsonWebKey newKey;
        try
        {
            newKey = JsonWebKey.Parse(jwk);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or JsonException or System.Security.Cryptography.CryptographicException)
        {
            throw AcmeErrors.Problem("badPublicKey", "the new key is not a usable public key: " + e.Message);
        }
        if (newKey.HasPrivateKey || !newKey.Accepts(inner.Algorithm) || !inner.Verify(newKey))
        {
            throw AcmeErrors.Malformed("the inner JWS signature is not valid");
        }
        var payload = AcmePayload.Object(inner);
        if (AcmePayload.String(payload, "account") != request.Jws.KeyId)
        {
            throw AcmeErrors.Unauthorized("the inner payload names another account");
        }
        JsonWebKey oldKey;
        try
        {
            oldKey = payload.TryGetProperty("oldKey", out var old) ? JsonWebKey.Parse(old) : throw AcmeErrors.Malformed("the inner payload has no oldKey");
        }
        catch (Exception e) when (e is FormatException or ArgumentException or JsonException or System.Security.Cryptography.CryptographicException)
        {
            throw AcmeErrors.Malformed("oldKey is not a JWK");
        }
        if (!oldKey.HasSamePublicKey(request.Key))
        {
            throw AcmeErrors.Unauthorized("oldKey is not the account's current key");
        }
        var newThumbprint = newKey.Thumbprint();
        if (await store.GetAccountByKeyThumbprintAsync(newThumbprint, cancellationToken).ConfigureAwait(false) is { } other)
        {
            // §7.3.5: 409 with the Location of the account holding the key.
            return new AcmeResult(409, json => AcmeViews.Problem(json, AcmeProblem.Of("malformed", "the new key is already in use by an account")))
            {
                Location = links.Account(other.Value.Id),
                ContentType = "application/problem+json",
            };
        }
        var updated = account.Value with { KeyJson = newKey.ToPublic().ToJson() };
        if (!await store.ChangeAccountKeyAsync(account, updated, request.Key.Thumbprint(), newThumbprint, cancellationToken).ConfigureAwait(false))
        {
            throw Changed();
        }
        return new AcmeResult(200, AcmeViews.Account(updated, links)) { Location = links.Account(updated.Id) };
    }

    private static AcmeVersioned<AcmeAccount> Owned(AcmeVerifiedRequest request, string accountId) =>
        request.Account is { } account && account.Value.Id == accountId
            ? account
            : throw AcmeErrors.Unauthorized("the account in the URL is not the signing account");

    // RFC 8555 §7.3: mailto contacts; others are unsupportedContact (step-ca accepts anything but empty).
    private static void CheckContacts(IEnumerable<string> contacts)
    {
        foreach (var contact in contacts)
        {
            if (!contact.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || contact.Length <= 7 || contact.Contains(',') || contact.Contains('?'))
            {
                throw AcmeErrors.Problem("unsupportedContact", $"contact \"{contact}\" is not a single mailto: address");
            }
        }
    }

    private static PkiException Changed() => AcmeErrors.Problem("malformed", "the account changed meanwhile; retry", PkiErrorKind.Conflict);
}
