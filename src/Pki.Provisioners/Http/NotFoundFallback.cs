using System.Text;
using Microsoft.AspNetCore.Http;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>step-ca's (Go net/http <c>NotFound</c> via chi) answer to an unknown route.</summary>
internal static class NotFoundFallback
{
    private const string ContentType = "text/plain; charset=utf-8";
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("404 page not found\n");

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        await next(context).ConfigureAwait(false);
        var response = context.Response;
        if (response.StatusCode == StatusCodes.Status404NotFound && !response.HasStarted && context.GetEndpoint() is null)
        {
            response.Headers.XContentTypeOptions = "nosniff";
            await StepResponseWriter.WriteAsync(context, StatusCodes.Status404NotFound, ContentType, Body).ConfigureAwait(false);
        }
    }
}
