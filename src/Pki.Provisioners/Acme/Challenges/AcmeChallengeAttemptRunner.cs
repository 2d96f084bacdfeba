using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// What every validator does around its protocol step: checks the identifier, bounds the attempt
/// by <see cref="AcmeChallengeOptions.Timeout"/> (on the injected clock), turns network failures
/// into a <see cref="AcmeChallengeVerdict.RetryLater"/> verdict (step-ca keeps the challenge pending
/// on transport errors, RFC 8555 §8.2) and logs the outcome. Thread-safe.
/// </summary>
internal sealed class AcmeChallengeAttemptRunner(string challengeType, AcmeChallengeOptions options, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>The protocol step of one validator, given the checked identifier and the attempt's deadline token.</summary>
    public delegate ValueTask<AcmeChallengeOutcome> Step(AcmeChallengeTarget target, AcmeChallengeAttempt attempt, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="step"/> for <paramref name="attempt"/>. Throws only
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async ValueTask<AcmeChallengeOutcome> RunAsync(AcmeChallengeAttempt attempt, Step step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        logger.AttemptStarted(challengeType, attempt.IdentifierType, attempt.IdentifierValue, TokenPrefix(attempt));
        var outcome = await RunStepAsync(attempt, step, cancellationToken).ConfigureAwait(false);
        if (outcome.Verdict == AcmeChallengeVerdict.Valid)
        {
            logger.AttemptValid(challengeType, attempt.IdentifierType, attempt.IdentifierValue);
        }
        else
        {
            logger.AttemptNotValid(challengeType, attempt.IdentifierType, attempt.IdentifierValue, outcome.Verdict, outcome.ProblemType, Redact(outcome.Detail, attempt));
        }
        return outcome;
    }

    private async ValueTask<AcmeChallengeOutcome> RunStepAsync(AcmeChallengeAttempt attempt, Step step, CancellationToken cancellationToken)
    {
        if (AcmeChallengeTarget.Create(attempt) is not { } target)
        {
            return new AcmeChallengeOutcome(AcmeChallengeVerdict.Invalid, "unsupportedIdentifier",
                $"{challengeType} cannot validate the {attempt.IdentifierType} identifier '{attempt.IdentifierValue}'");
        }
        using var timeout = new CancellationTokenSource(options.Timeout, timeProvider);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await step(target, attempt, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.AttemptError(challengeType, attempt.IdentifierValue, e);
            return TimedOut(target);
        }
        catch (AcmeDialException e)
        {
            return RetryLater(e.ProblemType, e.Message);
        }
        catch (Exception e) when (e is SocketException or IOException or HttpRequestException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            logger.AttemptError(challengeType, attempt.IdentifierValue, e);
            if (Find<AcmeDialException>(e) is { } dial)
            {
                return RetryLater(dial.ProblemType, dial.Message);
            }
            if (Find<OperationCanceledException>(e) is not null)
            {
                return TimedOut(target);
            }
            return RetryLater("connection", $"{challengeType} cannot connect to {target.Name}: {Innermost(e).Message}");
        }
    }

    private static string TokenPrefix(AcmeChallengeAttempt attempt) => attempt.Token[..Math.Min(8, attempt.Token.Length)];

    // The detail goes to the client whole; the log gets neither the key authorization nor the whole token.
    private static string? Redact(string? detail, AcmeChallengeAttempt attempt)
    {
        if (detail is null)
        {
            return null;
        }
        if (attempt.KeyAuthorization.Length > 0)
        {
            detail = detail.Replace(attempt.KeyAuthorization, "[key authorization]", StringComparison.Ordinal);
        }
        return attempt.Token.Length > 0 ? detail.Replace(attempt.Token, TokenPrefix(attempt) + "...", StringComparison.Ordinal) : detail;
    }

    private AcmeChallengeOutcome TimedOut(AcmeChallengeTarget target) =>
        RetryLater("connection", string.Create(CultureInfo.InvariantCulture, $"{challengeType} for {target.Name} timed out after {options.Timeout.TotalSeconds:0.###} s"));

    private static AcmeChallengeOutcome RetryLater(string problemType, string detail) =>
        new(AcmeChallengeVerdict.RetryLater, problemType, detail);

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }
        return null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
