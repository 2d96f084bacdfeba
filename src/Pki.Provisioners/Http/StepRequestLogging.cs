using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>The request-id and one-line-per-request middleware behind <c>UseStepRequestLogging</c>.</summary>
internal sealed class StepRequestLogging(ILogger logger, TimeProvider time)
{
    private const string RequestIdHeader = "X-Request-Id";
    private const string LegacyTraceHeader = "X-Smallstep-Id";

    // A client-chosen id is echoed and logged, so it is bounded and restricted to visible ASCII.
    private const int MaxRequestIdLength = 128;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var started = time.GetTimestamp();
        var requestId = RequestId(context.Request.Headers);
        context.TraceIdentifier = requestId;
        context.Response.Headers[RequestIdHeader] = requestId;
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context).ConfigureAwait(false);
            status = context.Response.StatusCode;
        }
        finally
        {
            Log(context.Request, status, time.GetElapsedTime(started).TotalMilliseconds, requestId);
        }
    }

    private void Log(HttpRequest request, int status, double milliseconds, string requestId)
    {
        var path = (request.PathBase + request.Path).ToString();
        if (status >= 500)
        {
            logger.RequestCompletedServerError(request.Method, path, status, milliseconds, requestId);
        }
        else if (status >= 400)
        {
            logger.RequestCompletedClientError(request.Method, path, status, milliseconds, requestId);
        }
        else
        {
            logger.RequestCompleted(request.Method, path, status, milliseconds, requestId);
        }
    }

    private static string RequestId(IHeaderDictionary headers)
    {
        foreach (var name in (ReadOnlySpan<string>)[RequestIdHeader, LegacyTraceHeader])
        {
            var value = headers[name].FirstOrDefault();
            if (IsAcceptable(value))
            {
                return value!;
            }
        }
        return Guid.NewGuid().ToString();
    }

    private static bool IsAcceptable(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxRequestIdLength && id.All(c => c is > ' ' and < (char)0x7F);
}
