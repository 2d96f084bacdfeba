using System.Text.Json;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>Order resources (RFC 8555 §7.4): new-order, order fetch with lazy status, and the account's orders list. Thread-safe.</summary>
public sealed class AcmeOrders(IAcmeStore store, AcmeRenewalInfo renewalInfo, RateLimits.AcmeRateLimits limits, Authority.ICertificateAuthority authority, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<AcmeServerOptions> options)
{
    /// <summary>new-order: one authorization per identifier, sharing one token across its challenges (step-ca).</summary>
    public async ValueTask<AcmeResult> NewOrderAsync(AcmeVerifiedRequest request, AcmeProvisioner provisioner, AcmeLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provisioner);
        var account = request.Account ?? throw AcmeErrors.Malformed("new-order must be signed by an account (kid)");
        var payload = AcmePayload.Object(request.Jws);
        if (!payload.TryGetProperty("identifiers", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw AcmeErrors.Malformed("an order needs identifiers");
        }
        var max = options.Value.MaxIdentifiersPerOrder;
        if (list.GetArrayLength() > max)
        {
            throw AcmeErrors.Problem("rejectedIdentifier", $"an order may name at most {max} identifiers");
        }
        var identifiers = list.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Object
                ? AcmeIdentifiers.Normalize(AcmePayload.String(e, "type"), AcmePayload.String(e, "value"))
                : throw AcmeErrors.Malformed("an identifier is an object"))
            .Distinct().ToArray();
        // Both policies must allow every name (reference §1.10); issuance checks them again.
        CheckPolicy(authority.NamePolicy, "the authority's", identifiers);
        CheckPolicy(provisioner.IdentifierPolicy, "the provisioner's", identifiers);
        var replacement = AcmePayload.String(payload, "replaces") is { } replaces
            ? await renewalInfo.CheckReplacesAsync(replaces, account.Value.Id, identifiers, cancellationToken).ConfigureAwait(false)
            : null;
        var now = AcmeClock.Now(time);
        var notBefore = Time(payload, "notBefore") ?? now;
        var notAfter = Time(payload, "notAfter") ?? notBefore + provisioner.Claims.DefaultTlsCertDuration;
        if (notAfter <= notBefore)
        {
            throw AcmeErrors.Malformed("notAfter must be after notBefore");
        }
        var expires = now + options.Value.OrderLifetime;
        var authorizations = new List<AcmeAuthorization>(identifiers.Length);
        var challenges = new List<AcmeChallenge>();
        foreach (var identifier in identifiers)
        {
            var types = AcmeIdentifiers.ChallengeTypes(identifier, provisioner.Options.Challenges);
            if (types.Count == 0)
            {
                throw AcmeErrors.Problem("rejectedIdentifier", $"no enabled challenge type can validate \"{identifier.Value}\"");
            }
            var wildcard = identifier.Value.StartsWith("*.", StringComparison.Ordinal);
            var value = wildcard ? identifier.Value[2..] : identifier.Value;
            var authorizationId = AcmeIds.New();
            var token = AcmeIds.New();
            var owned = types.Select(t => new AcmeChallenge(AcmeIds.New(), account.Value.Id, authorizationId, t, AcmeStatus.Pending, token, value, "", now)).ToArray();
            challenges.AddRange(owned);
            authorizations.Add(new AcmeAuthorization(authorizationId, account.Value.Id, identifier with { Value = value }, AcmeStatus.Pending, token, null,
                owned.Select(c => c.Id).ToArray(), wildcard, now, expires));
        }
        await limits.TakeNewOrderAsync(provisioner, account.Value.Id, authorizations.Count, cancellationToken).ConfigureAwait(false);
        var order = new AcmeOrder(AcmeIds.New(), account.Value.Id, provisioner.Id, identifiers, authorizations.Select(a => a.Id).ToArray(), AcmeStatus.Pending,
            notBefore, notAfter, now, expires);
        if (!await store.CreateOrderAsync(order, authorizations, challenges, replacement, cancellationToken).ConfigureAwait(false))
        {
            throw AcmeRenewalInfo.AlreadyReplaced();
        }
        return new AcmeResult(201, AcmeViews.Order(order, links)) { Location = links.Order(order.Id) };
    }

    /// <summary>Order POST-as-GET (§7.4), with the status brought up to date.</summary>
    public async ValueTask<AcmeResult> GetAsync(AcmeVerifiedRequest request, string orderId, AcmeLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        AcmePayload.RequirePostAsGet(request.Jws);
        var order = await OwnedAsync(request, orderId, cancellationToken).ConfigureAwait(false);
        return View(order.Value, links);
    }

    /// <summary>The account's orders (§7.1.2.1) still pending or ready, as <c>{"orders":[urls]}</c>.</summary>
    public async ValueTask<AcmeResult> ListAsync(AcmeVerifiedRequest request, string accountId, AcmeLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        AcmePayload.RequirePostAsGet(request.Jws);
        if (request.Account?.Value.Id != accountId)
        {
            throw AcmeErrors.Unauthorized("the account in the URL is not the signing account");
        }
        var urls = new List<string>();
        foreach (var id in await store.GetOrderIdsAsync(accountId, cancellationToken).ConfigureAwait(false))
        {
            if (await store.GetOrderAsync(id, cancellationToken).ConfigureAwait(false) is { } order && order.Value.AccountId == accountId
                && (await RefreshAsync(order, cancellationToken).ConfigureAwait(false)).Value.Status is AcmeStatus.Pending or AcmeStatus.Ready)
            {
                urls.Add(links.Order(id));
            }
        }
        return new AcmeResult(200, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("orders");
            urls.ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>The order of the signing account, status brought up to date; 404 for an unknown id, 401 for another account's.</summary>
    public async ValueTask<AcmeVersioned<AcmeOrder>> OwnedAsync(AcmeVerifiedRequest request, string orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var order = await store.GetOrderAsync(orderId, cancellationToken).ConfigureAwait(false) ?? throw AcmeErrors.NotFound("order");
        if (request.Account is not { } account || order.Value.AccountId != account.Value.Id)
        {
            throw AcmeErrors.Unauthorized("the order belongs to another account");
        }
        return await RefreshAsync(order, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The order JSON response, with <c>Retry-After</c> while processing.</summary>
    public static AcmeResult View(AcmeOrder order, AcmeLinks links) =>
        new(200, AcmeViews.Order(order, links)) { Location = links.Order(order.Id), RetryAfter = order.Status == AcmeStatus.Processing ? TimeSpan.FromSeconds(1) : null };

    // step-ca order.go UpdateStatus: a pending order expires, becomes invalid with an invalid (or
    // deactivated, §7.5.2) authorization, or ready once every authorization is valid. Stored by CAS;
    // a lost race re-reads.
    private async ValueTask<AcmeVersioned<AcmeOrder>> RefreshAsync(AcmeVersioned<AcmeOrder> order, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8 && order.Value.Status == AcmeStatus.Pending; attempt++)
        {
            var now = time.GetUtcNow();
            AcmeOrder? updated = null;
            if (order.Value.ExpiresAt <= now)
            {
                updated = order.Value with { Status = AcmeStatus.Invalid, Error = AcmeProblem.Of("malformed", "the order has expired") };
            }
            else
            {
                var statuses = new List<string>();
                foreach (var id in order.Value.AuthorizationIds)
                {
                    var authorization = await store.GetAuthorizationAsync(id, cancellationToken).ConfigureAwait(false);
                    statuses.Add(authorization?.Value.Status ?? AcmeStatus.Invalid);
                }
                if (statuses.Any(s => s is AcmeStatus.Invalid or AcmeStatus.Deactivated or AcmeStatus.Expired or AcmeStatus.Revoked))
                {
                    updated = order.Value with { Status = AcmeStatus.Invalid, Error = AcmeProblem.Of("unauthorized", "an authorization of the order is not valid") };
                }
                else if (statuses.All(s => s == AcmeStatus.Valid))
                {
                    updated = order.Value with { Status = AcmeStatus.Ready };
                }
            }
            if (updated is null)
            {
                return order;
            }
            if (await store.UpdateOrderAsync(order, updated, cancellationToken).ConfigureAwait(false))
            {
                return await store.GetOrderAsync(order.Value.Id, cancellationToken).ConfigureAwait(false) ?? throw AcmeErrors.NotFound("order");
            }
            order = await store.GetOrderAsync(order.Value.Id, cancellationToken).ConfigureAwait(false) ?? throw AcmeErrors.NotFound("order");
        }
        return order;
    }

    private static void CheckPolicy(Policy.INamePolicyEngine? policy, string whose, IEnumerable<AcmeIdentifier> identifiers)
    {
        if (policy is null)
        {
            return;
        }
        foreach (var identifier in identifiers)
        {
            try
            {
                policy.CheckSans([identifier.Value]);
            }
            catch (PkiException)
            {
                throw AcmeErrors.Problem("rejectedIdentifier", $"{whose} policy does not allow \"{identifier.Value}\"");
            }
        }
    }

    // Go clients (the step CLI, x/crypto/acme) send an unset time as Go's zero time,
    // 0001-01-01T00:00:00Z; step-ca's NewOrder treats a zero time as absent, and so do we.
    private static DateTimeOffset? Time(JsonElement payload, string name) => AcmePayload.String(payload, name) is { } text
        ? GoTimeJson.TryParse(text, out var value)
            ? value.UtcTicks == DateTimeOffset.MinValue.UtcTicks ? null : value.ToUniversalTime()
            : throw AcmeErrors.Malformed($"\"{name}\" is not an RFC 3339 time")
        : null;
}
