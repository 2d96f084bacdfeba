using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// Log messages of the step-ca compatible HTTP API. Event ids 3100-3199 are reserved for it and
/// never reused for a different meaning.
/// </summary>
internal static partial class StepApiLog
{
    /// <summary>The logger category of the CA API endpoints.</summary>
    public const string EndpointCategory = "Smallstep.Pki.Provisioners.Http.StepApi";

    /// <summary>The logger category of the per-request log line.</summary>
    public const string RequestCategory = "Smallstep.Pki.Provisioners.Http.Requests";

    /// <summary>
    /// A request was refused with a 4xx status. The reason is the specific one that clients
    /// only see for 400 and 403 (step-ca logs it as <c>error=</c>).
    /// </summary>
    [LoggerMessage(EventId = 3100, EventName = "StepApiRequestRefused", Level = LogLevel.Warning,
        Message = "{Method} {Path} answered {StatusCode}: {Reason}")]
    public static partial void RequestRefused(this ILogger logger, string method, string path, int statusCode, string reason);

    /// <summary>A request failed with a 5xx status; the exception (and its stack) goes to the log only.</summary>
    [LoggerMessage(EventId = 3101, EventName = "StepApiRequestFailed", Level = LogLevel.Error,
        Message = "{Method} {Path} answered {StatusCode}: {Reason}")]
    public static partial void RequestFailed(this ILogger logger, string method, string path, int statusCode, string reason, Exception exception);

    /// <summary>An exception after the response had started: the connection is aborted.</summary>
    [LoggerMessage(EventId = 3102, EventName = "StepApiResponseAborted", Level = LogLevel.Error,
        Message = "{Method} {Path} failed after the response started; aborting the connection")]
    public static partial void ResponseAborted(this ILogger logger, string method, string path, Exception exception);

    /// <summary>The one line per request of <c>UseStepRequestLogging</c>, for status below 400.</summary>
    [LoggerMessage(EventId = 3110, EventName = "StepRequestCompleted", Level = LogLevel.Information,
        Message = "{Method} {Path} {StatusCode} in {ElapsedMilliseconds:0.###} ms, request {RequestId}")]
    public static partial void RequestCompleted(this ILogger logger, string method, string path, int statusCode, double elapsedMilliseconds, string requestId);

    /// <summary>The request line for a 4xx status.</summary>
    [LoggerMessage(EventId = 3111, EventName = "StepRequestCompletedClientError", Level = LogLevel.Warning,
        Message = "{Method} {Path} {StatusCode} in {ElapsedMilliseconds:0.###} ms, request {RequestId}")]
    public static partial void RequestCompletedClientError(this ILogger logger, string method, string path, int statusCode, double elapsedMilliseconds, string requestId);

    /// <summary>The request line for a 5xx status (or an exception that escaped the pipeline).</summary>
    [LoggerMessage(EventId = 3112, EventName = "StepRequestCompletedServerError", Level = LogLevel.Error,
        Message = "{Method} {Path} {StatusCode} in {ElapsedMilliseconds:0.###} ms, request {RequestId}")]
    public static partial void RequestCompletedServerError(this ILogger logger, string method, string path, int statusCode, double elapsedMilliseconds, string requestId);
}
