using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Provisioners.Acme.Challenges;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// Validates challenges in the background (RFC 8555 §7.5.1: the challenge POST answers at once):
/// a bounded queue, at most <see cref="AcmeServerOptions.MaxConcurrentValidations"/> attempts at a
/// time, and retries with doubling delays on the injected clock that hold no worker while they wait.
/// A valid challenge makes its authorization valid (the order becomes ready when read); an invalid
/// one, or one still failing after <see cref="AcmeServerOptions.MaxValidationAttempts"/>, makes the
/// challenge and its authorization invalid (RFC 8555 §7.1.6; step-ca leaves the authorization
/// pending). Thread-safe.
/// </summary>
public sealed partial class AcmeChallengeRunner : BackgroundService
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(60);
    private readonly IAcmeStore _store;
    private readonly Dictionary<string, IAcmeChallengeValidator> _validators;
    private readonly TimeProvider _time;
    private readonly AcmeServerOptions _options;
    private readonly ILogger<AcmeChallengeRunner> _logger;
    private readonly Channel<Job> _queue;

    /// <summary>Creates the runner over the registered validators.</summary>
    public AcmeChallengeRunner(IAcmeStore store, IEnumerable<IAcmeChallengeValidator> validators, TimeProvider time, IOptions<AcmeServerOptions> options,
        ILogger<AcmeChallengeRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _validators = validators.GroupBy(v => v.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options.Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(Math.Max(1, _options.MaxQueuedValidations)) { FullMode = BoundedChannelFullMode.DropWrite });
    }

    /// <summary>Raised once a challenge is settled (valid or invalid), with its id; for monitoring and tests.</summary>
    public event Action<string, string>? ChallengeSettled;

    /// <summary>Queues the first attempt for a challenge just set to <c>processing</c>; false when the queue is full.</summary>
    public bool TryEnqueue(string challengeId, string authorizationId) => _queue.Writer.TryWrite(new Job(challengeId, authorizationId, 1));

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.MaxConcurrentValidations)).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await AttemptAsync(job, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFault(_logger, job.ChallengeId, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: queued challenges stay "processing" and a client may POST them again.
        }
    }

    private async Task AttemptAsync(Job job, CancellationToken stoppingToken)
    {
        var challenge = await _store.GetChallengeAsync(job.ChallengeId, stoppingToken).ConfigureAwait(false);
        var authorization = await _store.GetAuthorizationAsync(job.AuthorizationId, stoppingToken).ConfigureAwait(false);
        if (challenge is null || authorization is null || challenge.Value.Status != AcmeStatus.Processing)
        {
            return;
        }
        var account = await _store.GetAccountAsync(challenge.Value.AccountId, stoppingToken).ConfigureAwait(false);
        if (account is null)
        {
            return;
        }
        var keyAuthorization = KeyAuthorization(challenge.Value.Token, account.Value);
        AcmeChallengeOutcome outcome;
        if (!_validators.TryGetValue(challenge.Value.Type, out var validator))
        {
            outcome = new AcmeChallengeOutcome(AcmeChallengeVerdict.Invalid, "serverInternal", $"this server cannot validate {challenge.Value.Type} challenges");
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(AttemptTimeout);
            try
            {
                outcome = await validator.ValidateAsync(
                    new AcmeChallengeAttempt(authorization.Value.Identifier.Type, challenge.Value.Value, challenge.Value.Token, keyAuthorization), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The contract says validators do not throw; one that does is a failed attempt, never a crash.
                LogFault(_logger, job.ChallengeId, e);
                outcome = new AcmeChallengeOutcome(AcmeChallengeVerdict.RetryLater, "connection", "the validation attempt failed");
            }
        }
        if (outcome.Verdict == AcmeChallengeVerdict.RetryLater && job.Attempt < _options.MaxValidationAttempts)
        {
            await SaveChallengeAsync(challenge, AcmeStatus.Processing, Problem(outcome), stoppingToken).ConfigureAwait(false);
            var delay = _options.ValidationRetryDelay * Math.Pow(2, job.Attempt - 1);
            _ = RequeueAfterAsync(job with { Attempt = job.Attempt + 1 }, delay, stoppingToken);
            return;
        }
        var valid = outcome.Verdict == AcmeChallengeVerdict.Valid;
        var status = valid ? AcmeStatus.Valid : AcmeStatus.Invalid;
        await SaveChallengeAsync(challenge, status, valid ? null : Problem(outcome), stoppingToken).ConfigureAwait(false);
        await SaveAuthorizationAsync(job.AuthorizationId, status, stoppingToken).ConfigureAwait(false);
        LogSettled(_logger, job.ChallengeId, challenge.Value.Type, status, job.Attempt);
        ChallengeSettled?.Invoke(job.ChallengeId, status);
    }

    /// <summary>RFC 8555 §8.1: <c>token || '.' || base64url(JWK thumbprint of the account key)</c>.</summary>
    public static string KeyAuthorization(string token, AcmeAccount account) => token + "." + AcmeRequestVerifier.AccountKey(account).Thumbprint();

    private async Task RequeueAfterAsync(Job job, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            await _queue.Writer.WriteAsync(job, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task SaveChallengeAsync(AcmeVersioned<AcmeChallenge> challenge, string status, AcmeProblem? error, CancellationToken cancellationToken)
    {
        var validatedAt = status == AcmeStatus.Valid ? Go.GoTimeJson.Format(AcmeClock.Now(_time)) : challenge.Value.ValidatedAt;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (await _store.UpdateChallengeAsync(challenge, challenge.Value with { Status = status, Error = error, ValidatedAt = validatedAt }, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            challenge = await _store.GetChallengeAsync(challenge.Value.Id, cancellationToken).ConfigureAwait(false) ?? throw AcmeErrors.NotFound("challenge");
        }
    }

    private async Task SaveAuthorizationAsync(string id, string status, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var authorization = await _store.GetAuthorizationAsync(id, cancellationToken).ConfigureAwait(false);
            if (authorization is null || authorization.Value.Status != AcmeStatus.Pending
                || await _store.UpdateAuthorizationAsync(authorization, authorization.Value with { Status = status }, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private static AcmeProblem Problem(AcmeChallengeOutcome outcome) =>
        AcmeProblem.Of(outcome.ProblemType ?? "incorrectResponse", outcome.Detail ?? "the challenge response is not valid");

    private sealed record Job(string ChallengeId, string AuthorizationId, int Attempt);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "ACME challenge {ChallengeId} ({Type}) is {Status} after {Attempts} attempt(s)")]
    private static partial void LogSettled(ILogger logger, string challengeId, string type, string status, int attempts);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "ACME challenge {ChallengeId}: validation attempt failed unexpectedly")]
    private static partial void LogFault(ILogger logger, string challengeId, Exception exception);
}
