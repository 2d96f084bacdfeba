using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary>
/// A real Kestrel http-01 responder on a loopback address, with an http and an https port. The
/// token names the behaviour: <c>good*</c> answers the key authorization, the others answer
/// wrong, huge, slow, never, an error or a redirect (see <see cref="Respond"/>).
/// </summary>
internal sealed class Http01Responder : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Http01Responder(WebApplication app) => _app = app;

    /// <summary>The plain http port.</summary>
    public int HttpPort { get; private set; }

    /// <summary>The https port (a self-signed certificate for no name in particular).</summary>
    public int HttpsPort { get; private set; }

    /// <summary>The Host header of each request, by token.</summary>
    public ConcurrentDictionary<string, string> Hosts { get; } = new();

    public static async Task<Http01Responder> StartAsync(IPAddress address)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, 0);
            kestrel.Listen(address, 0, listen => listen.UseHttps(SelfSigned()));
        });
        var app = builder.Build();
        var responder = new Http01Responder(app);
        app.MapGet("/.well-known/acme-challenge/{token}", responder.Respond);
        app.MapGet("/redirected/{token}", (string token) => ChallengeTestKit.KeyAuthorization(token));
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).ToList();
        responder.HttpPort = ports.Single(u => u.Scheme == "http").Port;
        responder.HttpsPort = ports.Single(u => u.Scheme == "https").Port;
        return responder;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task Respond(string token, HttpContext context)
    {
        Hosts[token] = context.Request.Host.Value ?? "";
        var response = context.Response;
        var host = context.Request.Host.Host.Contains(':') ? $"[{context.Request.Host.Host}]" : context.Request.Host.Host;
        switch (token)
        {
            case var wrong when wrong.StartsWith("wrong", StringComparison.Ordinal):
                await response.WriteAsync("not-the-key-authorization");
                break;
            case "huge":
                // Chunked, no Content-Length: the cap must hold while reading.
                var chunk = new string('a', 64 * 1024);
                for (var i = 0; i < 16; i++)
                {
                    await response.WriteAsync(chunk);
                }
                break;
            case "huge-declared":
                response.ContentLength = 1024 * 1024;
                await response.Body.WriteAsync(new byte[1024 * 1024]);
                break;
            case "slow":
                // Headers and a first byte, then nothing until the client goes away.
                await response.WriteAsync(ChallengeTestKit.KeyAuthorization(token)[..1]);
                await response.Body.FlushAsync();
                await WaitUntilAborted(context);
                break;
            case "never":
                await WaitUntilAborted(context);
                break;
            case "missing":
                response.StatusCode = StatusCodes.Status404NotFound;
                break;
            case "failing":
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                break;
            case "redirect":
                response.Redirect("/redirected/redirect");
                break;
            case "redirect-https":
                response.Redirect($"https://{host}:{HttpsPort}/redirected/redirect-https");
                break;
            case "redirect-metadata":
                response.Redirect("http://169.254.169.254/latest/meta-data/");
                break;
            case "redirect-loop":
                response.Redirect("/.well-known/acme-challenge/redirect-loop");
                break;
            case "redirect-other-port":
                response.Redirect($"http://{host}:{HttpsPort}/redirected/redirect-other-port");
                break;
            case "redirect-ftp":
                response.Redirect($"ftp://{host}/redirected/redirect-ftp");
                break;
            default:
                // Surrounding whitespace is allowed (RFC 8555 §8.3 trims it).
                await response.WriteAsync(ChallengeTestKit.KeyAuthorization(token) + "\r\n");
                break;
        }
    }

    private static async Task WaitUntilAborted(HttpContext context)
    {
        var aborted = new TaskCompletionSource();
        using var registration = context.RequestAborted.Register(() => aborted.TrySetResult());
        await aborted.Task;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=http-01 redirect target", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
