using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Provisioning;

using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// One CA-API request and the services it needs, resolved from <see cref="HttpContext.RequestServices"/>
/// on first use. <see cref="Handle"/> turns a handler into an endpoint that answers every failure with
/// the step-ca error body and logs the specific reason.
/// </summary>
internal sealed class StepApiContext
{
    private StepApiContext(HttpContext http)
    {
        Http = http;
        Options = http.RequestServices.GetService<IOptionsMonitor<StepApiOptions>>()?.CurrentValue ?? new StepApiOptions();
    }

    public HttpContext Http { get; }

    public StepApiOptions Options { get; }

    public ICertificateAuthority Authority => Http.RequestServices.GetRequiredService<ICertificateAuthority>();

    /// <summary>The SSH authority, or null when the application registered none.</summary>
    public ISshCertificateAuthority? SshAuthority => Http.RequestServices.GetService<ISshCertificateAuthority>();

    public IProvisionerCatalog Catalog => Http.RequestServices.GetRequiredService<IProvisionerCatalog>();

    public TimeProvider Time => Http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>A route value (e.g. <c>{sha}</c>), or empty.</summary>
    public string Route(string name) => Http.Request.RouteValues[name] as string ?? string.Empty;

    public Task WriteJsonAsync(int status, Action<System.Text.Json.Utf8JsonWriter> write) =>
        StepResponseWriter.WriteJsonAsync(Http, status, write);

    /// <summary>
    /// Wraps <paramref name="handler"/>: ambiguous framing is refused first
    /// (<see cref="RequestFraming.Check"/>), every exception becomes a logged step-ca error
    /// response, and a client that went away mid-request is logged with status 499 and not answered.
    /// </summary>
    public static RequestDelegate Handle(Func<StepApiContext, Task> handler) => async http =>
    {
        try
        {
            RequestFraming.Check(http.Request);
            await handler(new StepApiContext(http)).ConfigureAwait(false);
        }
        catch (Exception e) when (http.RequestAborted.IsCancellationRequested || IsReset(e))
        {
            // The client went away (reset, or closed mid-body); there is nobody to answer. Whatever
            // the handler was doing failed before anything was committed.
            ClientGone(http, e);
        }
        catch (Exception e)
        {
            await FailAsync(http, e).ConfigureAwait(false);
        }
    };

    // Kestrel reports a peer reset while the body is read as ConnectionResetException (an IOException).
    private static bool IsReset(Exception e) => e is Microsoft.AspNetCore.Connections.ConnectionResetException
        || e.InnerException is Microsoft.AspNetCore.Connections.ConnectionResetException;

    /// <summary>nginx's "client closed request": only in our log line, never sent.</summary>
    internal const int ClientClosedRequest = 499;

    private static void ClientGone(HttpContext http, Exception exception)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(StepApiLog.EndpointCategory);
        logger.RequestRefused(http.Request.Method, (http.Request.PathBase + http.Request.Path).ToString(), ClientClosedRequest,
            "the client disconnected: " + StepError.Reason(exception));
        if (!http.Response.HasStarted)
        {
            http.Response.StatusCode = ClientClosedRequest;
        }
    }

    private static async Task FailAsync(HttpContext http, Exception exception)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(StepApiLog.EndpointCategory);
        var method = http.Request.Method;
        var path = (http.Request.PathBase + http.Request.Path).ToString();
        if (http.Response.HasStarted)
        {
            logger.ResponseAborted(method, path, exception);
            http.Abort();
            return;
        }
        var error = StepError.From(exception);
        var reason = StepError.Reason(exception);
        // 501 is a known refusal (a feature not built or not enabled), not a fault: no stack trace.
        if (error.Status >= 500 && error.Status != 501)
        {
            logger.RequestFailed(method, path, error.Status, reason, exception);
        }
        else
        {
            logger.RequestRefused(method, path, error.Status, reason);
        }
        if (exception is PkiException { RetryAfter: { } retryAfter })
        {
            // RFC 9110 §10.2.3: delay-seconds.
            http.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        try
        {
            await StepResponseWriter.WriteErrorAsync(http, error).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client left before it could read the refusal.
            ClientGone(http, e);
        }
    }
}
