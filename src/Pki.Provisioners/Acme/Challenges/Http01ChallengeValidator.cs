using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// http-01 (RFC 8555 §8.3): <c>GET http://{identifier}:{HttpPort}/.well-known/acme-challenge/{token}</c>;
/// the whitespace-trimmed body must equal the key authorization. Redirects are followed by hand
/// (at most <see cref="AcmeChallengeOptions.MaxRedirects"/>, only to http or https on ports 80 and
/// 443 or the configured ports, RFC 8555 §10.2), every hop connecting through the network policy.
/// No proxy, no cookies, no decompression, no connection reuse; an https redirect target's
/// certificate is not verified (the key authorization is what proves control, as at Let's Encrypt).
/// Thread-safe.
/// </summary>
internal sealed class Http01ChallengeValidator : IAcmeChallengeValidator, IDisposable
{
    private static readonly ProductInfoHeaderValue UserAgent = new("Smallstep.Pki-acme-validator", "1.0");

    private readonly AcmeChallengeOptions options;
    private readonly AcmeChallengeAttemptRunner runner;
    private readonly HttpMessageInvoker client;
    private readonly HashSet<int> redirectPorts;

    public Http01ChallengeValidator(IOptions<AcmeChallengeOptions> options, TimeProvider timeProvider, ILogger<Http01ChallengeValidator> logger)
    {
        this.options = options.Value;
        runner = new AcmeChallengeAttemptRunner(Type, this.options, timeProvider, logger);
        var dialer = new AcmeNetworkDialer(
            new AcmeNetworkPolicy(this.options.AllowLoopback, this.options.AllowPrivateNetworks),
            AcmeDnsLookup.CreateForHosts(this.options),
            logger);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            // Zero lifetime: no connection is pooled, so each hop resolves and checks its address anew.
            PooledConnectionLifetime = TimeSpan.Zero,
            MaxResponseHeadersLength = 64,
            ConnectCallback = async (context, cancellationToken) =>
                new NetworkStream(await dialer.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false), ownsSocket: true),
        };
        // Validation proves control through the key authorization, not the server certificate.
        handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        client = new HttpMessageInvoker(handler);
        redirectPorts = [80, 443, this.options.HttpPort, this.options.TlsPort];
    }

    /// <inheritdoc />
    public string Type => "http-01";

    /// <inheritdoc />
    public ValueTask<AcmeChallengeOutcome> ValidateAsync(AcmeChallengeAttempt attempt, CancellationToken cancellationToken) =>
        runner.RunAsync(attempt, FetchAsync, cancellationToken);

    /// <summary>Closes the HTTP handler.</summary>
    public void Dispose() => client.Dispose();

    private async ValueTask<AcmeChallengeOutcome> FetchAsync(AcmeChallengeTarget target, AcmeChallengeAttempt attempt, CancellationToken cancellationToken)
    {
        var uri = new UriBuilder(Uri.UriSchemeHttp, target.UriHost, options.HttpPort, "/.well-known/acme-challenge/" + Uri.EscapeDataString(attempt.Token)).Uri;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.UserAgent.Add(UserAgent);
            request.Headers.ConnectionClose = true;
            if (redirects == 0)
            {
                // RFC 8555 §8.3: the Host header is the domain name (or address) being validated.
                request.Headers.Host = target.UriHost;
            }
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (RedirectRefusal(next, redirects) is { } refusal)
                {
                    return new AcmeChallengeOutcome(AcmeChallengeVerdict.RetryLater, "connection", $"{uri} redirected to {next}: {refusal}");
                }
                uri = next;
                continue;
            }
            if (!response.IsSuccessStatusCode)
            {
                // A server error is a failure to serve; any other refusal says the resource is not authorized there.
                var problem = (int)response.StatusCode >= 500 ? "connection" : "unauthorized";
                return new AcmeChallengeOutcome(AcmeChallengeVerdict.RetryLater, problem, $"{uri} answered HTTP {(int)response.StatusCode}");
            }
            return await CheckBodyAsync(uri, response.Content, attempt.KeyAuthorization, cancellationToken).ConfigureAwait(false);
        }
    }

    private string? RedirectRefusal(Uri next, int redirects)
    {
        if (redirects >= options.MaxRedirects)
        {
            return $"more than {options.MaxRedirects} redirects";
        }
        if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
        {
            return "only http and https redirects are followed";
        }
        return redirectPorts.Contains(next.Port) ? null : $"port {next.Port} is not one of {string.Join(", ", redirectPorts.Order())}";
    }

    private async ValueTask<AcmeChallengeOutcome> CheckBodyAsync(Uri uri, HttpContent content, string keyAuthorization, CancellationToken cancellationToken)
    {
        var limit = options.MaxResponseBytes;
        if (content.Headers.ContentLength > limit)
        {
            return TooLarge(uri, limit);
        }
        var buffer = new byte[limit + 1];
        var length = 0;
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }
        if (length > limit)
        {
            return TooLarge(uri, limit);
        }
        var body = Encoding.UTF8.GetString(buffer, 0, length).Trim();
        if (body == keyAuthorization)
        {
            return AcmeChallengeOutcome.Valid;
        }
        var shown = body.Length > 100 ? body[..100] + "..." : body;
        return new AcmeChallengeOutcome(AcmeChallengeVerdict.Invalid, "incorrectResponse",
            $"the body of {uri} is not the key authorization; expected \"{keyAuthorization}\", got \"{shown}\"");
    }

    private static AcmeChallengeOutcome TooLarge(Uri uri, int limit) =>
        new(AcmeChallengeVerdict.Invalid, "incorrectResponse", $"the body of {uri} is larger than {limit} bytes; it must be the key authorization (RFC 8555 §8.3)");

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
