using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>Middleware of the step-ca compatible server: request logging and step-ca's 404 body.</summary>
public static class StepApiApplicationBuilderExtensions
{
    /// <summary>
    /// Logs one line per request (method, path, status, duration, request id; event ids 3110-3112,
    /// level by status class as step-ca's logging/handler.go) and propagates the request id: taken
    /// from <c>X-Request-Id</c>, else the legacy <c>X-Smallstep-Id</c>, else a new UUID; set as
    /// <c>HttpContext.TraceIdentifier</c> and echoed in the <c>X-Request-Id</c> response header
    /// (middleware/requestid/requestid.go). Register it first so it times and sees everything.
    /// </summary>
    /// <param name="app">The application pipeline.</param>
    /// <returns><paramref name="app"/>.</returns>
    public static IApplicationBuilder UseStepRequestLogging(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ApplicationServices;
        var logging = new StepRequestLogging(
            services.GetRequiredService<ILoggerFactory>().CreateLogger(StepApiLog.RequestCategory),
            services.GetService<TimeProvider>() ?? TimeProvider.System);
        return app.Use((context, next) => logging.InvokeAsync(context, next));
    }

    /// <summary>
    /// Answers requests that matched no endpoint the way step-ca's router (chi) does:
    /// 404, <c>Content-Type: text/plain; charset=utf-8</c>, <c>X-Content-Type-Options: nosniff</c>,
    /// body <c>404 page not found\n</c>. It acts only after the rest of the pipeline left a 404
    /// with no endpoint and no response started, so endpoints mapped by others (ACME, SCEP, ...) are
    /// untouched. A known path with a wrong method keeps ASP.NET Core routing's 405 (empty body, no
    /// Content-Type, plus the <c>Allow</c> header RFC 9110 §15.5.6 asks for, which chi omits); no
    /// catch-all fallback endpoint is mapped because it would turn those 405s into 404s.
    /// </summary>
    /// <param name="app">The application pipeline.</param>
    /// <returns><paramref name="app"/>.</returns>
    public static IApplicationBuilder UseStepApiFallbacks(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(NotFoundFallback.InvokeAsync);
    }
}
