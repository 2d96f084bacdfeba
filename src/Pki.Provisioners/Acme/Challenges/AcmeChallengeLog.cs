using System.Net;
using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// Log messages of the ACME challenge validators. Event ids 3900-3949 are reserved for them and
/// never reused for a different meaning. Key authorizations are never logged, tokens only by
/// their first characters.
/// </summary>
internal static partial class AcmeChallengeLog
{
    /// <summary>An attempt starts.</summary>
    [LoggerMessage(EventId = 3900, EventName = "AcmeChallengeAttemptStarted", Level = LogLevel.Debug,
        Message = "{ChallengeType} attempt for {IdentifierType} {Identifier}, token {TokenPrefix}...")]
    public static partial void AttemptStarted(this ILogger logger, string challengeType, string identifierType, string identifier, string tokenPrefix);

    /// <summary>An attempt found the challenge satisfied.</summary>
    [LoggerMessage(EventId = 3901, EventName = "AcmeChallengeValid", Level = LogLevel.Information,
        Message = "{ChallengeType} for {IdentifierType} {Identifier} is valid")]
    public static partial void AttemptValid(this ILogger logger, string challengeType, string identifierType, string identifier);

    /// <summary>An attempt did not satisfy the challenge; the verdict says whether it may be retried.</summary>
    [LoggerMessage(EventId = 3902, EventName = "AcmeChallengeNotValid", Level = LogLevel.Information,
        Message = "{ChallengeType} for {IdentifierType} {Identifier}: {Verdict} ({ProblemType}): {Detail}")]
    public static partial void AttemptNotValid(this ILogger logger, string challengeType, string identifierType, string identifier, AcmeChallengeVerdict verdict, string? problemType, string? detail);

    /// <summary>The network policy kept a challenge from connecting to an address.</summary>
    [LoggerMessage(EventId = 3903, EventName = "AcmeChallengeAddressRefused", Level = LogLevel.Warning,
        Message = "Refused to connect to {Address} for {Host}: it is {Reason}")]
    public static partial void AddressRefused(this ILogger logger, string host, IPAddress address, string reason);

    /// <summary>The exception behind a failed attempt, for diagnosis.</summary>
    [LoggerMessage(EventId = 3904, EventName = "AcmeChallengeAttemptError", Level = LogLevel.Debug,
        Message = "{ChallengeType} attempt for {Identifier} failed")]
    public static partial void AttemptError(this ILogger logger, string challengeType, string identifier, Exception exception);
}
