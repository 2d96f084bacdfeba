using Smallstep.Pki.Acme;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>Authorization and challenge resources (RFC 8555 §7.5): fetch, deactivation (§7.5.2), and the challenge POST that starts validation (§7.5.1). Thread-safe.</summary>
public sealed class AcmeAuthorizations(IAcmeStore store, AcmeChallengeRunner runner, TimeProvider time)
{
    /// <summary>Authorization POST: POST-as-GET, or <c>{"status":"deactivated"}</c>.</summary>
    public async ValueTask<AcmeResult> PostAsync(AcmeVerifiedRequest request, string authorizationId, AcmeLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = await OwnedAsync(request, authorizationId, cancellationToken).ConfigureAwait(false);
        if (!request.Jws.IsPostAsGet)
        {
            var payload = AcmePayload.Object(request.Jws);
            if (AcmePayload.String(payload, "status") != AcmeStatus.Deactivated)
            {
                throw AcmeErrors.Malformed("an authorization can only be updated to \"deactivated\"");
            }
            if (authorization.Value.Status is not (AcmeStatus.Pending or AcmeStatus.Valid))
            {
                throw AcmeErrors.Malformed($"a {authorization.Value.Status} authorization cannot be deactivated");
            }
            var deactivated = authorization.Value with { Status = AcmeStatus.Deactivated };
            if (!await store.UpdateAuthorizationAsync(authorization, deactivated, cancellationToken).ConfigureAwait(false))
            {
                throw AcmeErrors.Problem("malformed", "the authorization changed meanwhile; retry", Errors.PkiErrorKind.Conflict);
            }
            authorization = authorization with { Value = deactivated };
        }
        return await ViewAsync(authorization.Value, links, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Challenge POST: a pending challenge becomes <c>processing</c> and is queued for background
    /// validation (never awaited here); any other is returned as it is. <c>Link: rel="up"</c> names the authorization.
    /// </summary>
    public async ValueTask<AcmeResult> ChallengeAsync(AcmeVerifiedRequest request, string authorizationId, string challengeId, AcmeLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = await OwnedAsync(request, authorizationId, cancellationToken).ConfigureAwait(false);
        if (!authorization.Value.ChallengeIds.Contains(challengeId))
        {
            throw AcmeErrors.NotFound("challenge");
        }
        var challenge = await store.GetChallengeAsync(challengeId, cancellationToken).ConfigureAwait(false) ?? throw AcmeErrors.NotFound("challenge");
        var current = challenge.Value;
        // RFC 8555 §7.5.1: the client says it is ready with a POST of {} (step-ca tolerates any payload).
        if (!request.Jws.IsPostAsGet && current.Status == AcmeStatus.Pending && authorization.Value.Status == AcmeStatus.Pending
            && authorization.Value.ExpiresAt > time.GetUtcNow())
        {
            var processing = current with { Status = AcmeStatus.Processing };
            if (await store.UpdateChallengeAsync(challenge, processing, cancellationToken).ConfigureAwait(false))
            {
                if (!runner.TryEnqueue(challengeId, authorizationId))
                {
                    // A full queue: back to pending so the client can simply POST again later.
                    var stored = await store.GetChallengeAsync(challengeId, cancellationToken).ConfigureAwait(false);
                    if (stored is not null)
                    {
                        await store.UpdateChallengeAsync(stored, current, cancellationToken).ConfigureAwait(false);
                    }
                    throw new Errors.PkiException(Errors.PkiErrorKind.RateLimited, "too many challenges are being validated; retry later")
                    {
                        ProblemType = AcmeProblem.UrnPrefix + "rateLimited",
                        RetryAfter = TimeSpan.FromSeconds(10),
                    };
                }
                current = processing;
            }
            else
            {
                current = (await store.GetChallengeAsync(challengeId, cancellationToken).ConfigureAwait(false))?.Value ?? current;
            }
        }
        return new AcmeResult(200, AcmeViews.Challenge(current, authorizationId, links))
        {
            Up = links.Authorization(authorizationId),
            RetryAfter = current.Status == AcmeStatus.Processing ? TimeSpan.FromSeconds(1) : null,
        };
    }

    private async ValueTask<AcmeVersioned<AcmeAuthorization>> OwnedAsync(AcmeVerifiedRequest request, string authorizationId, CancellationToken cancellationToken)
    {
        var authorization = await store.GetAuthorizationAsync(authorizationId, cancellationToken).ConfigureAwait(false) ?? throw AcmeErrors.NotFound("authorization");
        if (request.Account is not { } account || authorization.Value.AccountId != account.Value.Id)
        {
            throw AcmeErrors.Unauthorized("the authorization belongs to another account");
        }
        return authorization;
    }

    private async ValueTask<AcmeResult> ViewAsync(AcmeAuthorization authorization, AcmeLinks links, CancellationToken cancellationToken)
    {
        var challenges = new List<AcmeChallenge>(authorization.ChallengeIds.Count);
        foreach (var id in authorization.ChallengeIds)
        {
            if (await store.GetChallengeAsync(id, cancellationToken).ConfigureAwait(false) is { } challenge)
            {
                challenges.Add(challenge.Value);
            }
        }
        // An authorization past its expiry is shown expired (RFC 8555 §7.1.6) without a write.
        var shown = authorization.Status == AcmeStatus.Pending && authorization.ExpiresAt <= time.GetUtcNow()
            ? authorization with { Status = AcmeStatus.Expired }
            : authorization;
        return new AcmeResult(200, AcmeViews.Authorization(shown, challenges, links)) { Location = links.Authorization(authorization.Id) };
    }
}
