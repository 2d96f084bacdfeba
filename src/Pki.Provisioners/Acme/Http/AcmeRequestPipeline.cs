using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Http;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Acme.Http;

/// <summary>One ACME request after the provisioner was found: its links and services.</summary>
/// <param name="Http">The ASP.NET context.</param>
/// <param name="Provisioner">The ACME provisioner of the URL.</param>
/// <param name="Links">Its URLs at the request's host.</param>
internal sealed record AcmeCall(HttpContext Http, AcmeProvisioner Provisioner, AcmeLinks Links)
{
    public T Service<T>() where T : notnull => Http.RequestServices.GetRequiredService<T>();

    public string Route(string name) => Http.GetRouteValue(name) as string ?? "";
}

/// <summary>
/// The ACME request pipeline (reference §1.4): provisioner lookup, content type, body cap, JWS
/// checks, the handler, then headers every response carries (<c>Link: rel="index"</c>, and for POSTs
/// a fresh <c>Replay-Nonce</c> with <c>Cache-Control: no-store</c>), and problem documents for
/// every failure. Fail closed: an unexpected exception is a logged 500 <c>serverInternal</c>.
/// </summary>
internal static partial class AcmeRequestPipeline
{
    public static RequestDelegate Get(Func<AcmeCall, ValueTask<AcmeResult>> handler) => http => RunAsync(http, handler, nonce: false);

    public static RequestDelegate Post(AcmeKeyRule rule, Func<AcmeCall, AcmeVerifiedRequest, ValueTask<AcmeResult>> handler) =>
        http => RunAsync(http, async call =>
        {
            var verified = await VerifyAsync(call, rule).ConfigureAwait(false);
            return await handler(call, verified).ConfigureAwait(false);
        }, nonce: true);

    private static async Task RunAsync(HttpContext http, Func<AcmeCall, ValueTask<AcmeResult>> handler, bool nonce)
    {
        var name = http.GetRouteValue("provisioner") as string ?? "";
        var catalog = http.RequestServices.GetRequiredService<IProvisionerCatalog>();
        var found = catalog.FindByName(name);
        if (found is null)
        {
            // step-ca's linker middleware renders the lookup failure in the admin error shape.
            http.Response.StatusCode = 404;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync("{\"type\":\"notFound\",\"detail\":\"resource not found\",\"message\":\"provisioner " + JsonEncodedText.Encode(name) + " not found\"}\n",
                http.RequestAborted).ConfigureAwait(false);
            return;
        }
        var links = AcmeLinks.For(http.Request.Host.Value ?? "", name);
        http.Response.Headers.Append("Link", $"<{links.Directory}>;rel=\"index\"");
        try
        {
            if (found is not AcmeProvisioner provisioner)
            {
                throw AcmeErrors.Unauthorized($"provisioner {name} is not an ACME provisioner");
            }
            var result = await handler(new AcmeCall(http, provisioner, links)).ConfigureAwait(false);
            if (nonce)
            {
                await AddNonceAsync(http).ConfigureAwait(false);
            }
            await WriteAsync(http, result).ConfigureAwait(false);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            var error = e switch
            {
                PkiException pki => pki,
                RequestBodyTooLargeException => AcmeErrors.Problem("malformed", "the request body is too large", PkiErrorKind.BadRequest),
                BadHttpRequestException => AcmeErrors.Malformed("the request could not be read"),
                _ => null,
            };
            if (error is null || error.Kind == PkiErrorKind.Internal)
            {
                LogFailure(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Smallstep.Pki.Provisioners.Acme"), http.Request.Path, e);
                error ??= PkiException.Internal("unexpected failure");
            }
            if (nonce && !http.Response.HasStarted)
            {
                // RFC 8555 §6.5: a fresh nonce on errors too, so a badNonce retry needs no round trip.
                await TryAddNonceAsync(http).ConfigureAwait(false);
            }
            if (!http.Response.HasStarted)
            {
                await AcmeProblemWriter.WriteAsync(http, error).ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask<AcmeVerifiedRequest> VerifyAsync(AcmeCall call, AcmeKeyRule rule)
    {
        var http = call.Http;
        var contentType = http.Request.ContentType ?? "";
        if (!contentType.Split(';')[0].Trim().Equals("application/jose+json", StringComparison.OrdinalIgnoreCase))
        {
            throw AcmeErrors.Malformed("the request content type must be application/jose+json");
        }
        var limit = call.Service<IOptions<AcmeServerOptions>>().Value.MaxRequestBodyBytes;
        var body = await RequestBody.ReadAsync(http, limit).ConfigureAwait(false);
        var jws = AcmeJws.Parse(body);
        var url = $"https://{http.Request.Host.Value}{http.Request.PathBase}{http.Request.Path}";
        return await call.Service<AcmeRequestVerifier>().VerifyAsync(jws, url, call.Provisioner, call.Links.AccountPrefix, rule, http.RequestAborted).ConfigureAwait(false);
    }

    public static async Task AddNonceAsync(HttpContext http)
    {
        var nonce = await http.RequestServices.GetRequiredService<AcmeNonces>().CreateAsync(http.RequestAborted).ConfigureAwait(false);
        http.Response.Headers["Replay-Nonce"] = nonce;
        http.Response.Headers.CacheControl = "no-store";
    }

    private static async Task TryAddNonceAsync(HttpContext http)
    {
        try
        {
            await AddNonceAsync(http).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PkiException or InvalidOperationException or IOException)
        {
            // The error itself is what the client must see.
        }
    }

    private static async Task WriteAsync(HttpContext http, AcmeResult result)
    {
        var response = http.Response;
        response.StatusCode = result.Status;
        if (result.Location is { } location)
        {
            response.Headers.Location = location;
        }
        if (result.Up is { } up)
        {
            response.Headers.Append("Link", $"<{up}>;rel=\"up\"");
        }
        if (result.RetryAfter is { } retry)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        if (result.Text is { } text)
        {
            response.ContentType = result.ContentType ?? "text/plain";
            await AcmeResponseBody.WriteTextAsync(response, text, http.RequestAborted).ConfigureAwait(false);
        }
        else if (result.Json is { } json)
        {
            response.ContentType = result.ContentType ?? "application/json";
            await AcmeResponseBody.WriteJsonAsync(response, json, http.RequestAborted).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Error, Message = "ACME request {Path} failed")]
    private static partial void LogFailure(ILogger logger, string path, Exception exception);
}
