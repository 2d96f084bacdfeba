namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>Validates one ACME challenge type (RFC 8555 §8). Implementations are thread-safe and never throw for network or peer failures: they return a verdict.</summary>
public interface IAcmeChallengeValidator
{
    /// <summary>The challenge type, e.g. <c>http-01</c>, <c>dns-01</c>, <c>tls-alpn-01</c>.</summary>
    string Type { get; }

    /// <summary>Makes one validation attempt.</summary>
    ValueTask<AcmeChallengeOutcome> ValidateAsync(AcmeChallengeAttempt attempt, CancellationToken cancellationToken);
}

/// <summary>One attempt: the identifier (type <c>dns</c> or <c>ip</c>; value without a wildcard prefix), the challenge token and the key authorization (RFC 8555 §8.1).</summary>
public sealed record AcmeChallengeAttempt(string IdentifierType, string IdentifierValue, string Token, string KeyAuthorization);

/// <summary>What an attempt decided.</summary>
public enum AcmeChallengeVerdict
{
    /// <summary>The challenge is satisfied.</summary>
    Valid,
    /// <summary>The response was wrong; the challenge becomes invalid.</summary>
    Invalid,
    /// <summary>The peer could not be reached or answered an error; the challenge stays pending and may be retried.</summary>
    RetryLater,
}

/// <summary>The verdict, and for anything but <see cref="AcmeChallengeVerdict.Valid"/> an ACME problem type short name (e.g. <c>connection</c>, <c>incorrectResponse</c>, <c>dns</c>, <c>tls</c>, <c>unauthorized</c>) and a detail for the client.</summary>
public sealed record AcmeChallengeOutcome(AcmeChallengeVerdict Verdict, string? ProblemType = null, string? Detail = null)
{
    /// <summary>A satisfied challenge.</summary>
    public static AcmeChallengeOutcome Valid { get; } = new(AcmeChallengeVerdict.Valid);
}
