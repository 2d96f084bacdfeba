using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// Kestrel limits for a CA on the open network (docs/security.md). Requests are small (a CSR and a
/// token), so the limits are tight; a client that breaks one is refused by Kestrel before any
/// endpoint runs (400/408/413/414/431 with an empty body, or a closed connection) and Kestrel logs
/// "bad request data".
/// </summary>
internal static class KestrelHardening
{
    /// <summary>
    /// Largest request body Kestrel reads (its default is 30 MB). Well above the step API's own
    /// 1 MiB limit, which answers 413 in step's JSON shape first: Kestrel then drains the unread
    /// rest of a body up to this size, so a client still sending a few MB reads the 413 instead of
    /// a broken pipe. Larger bodies are cut off with the connection.
    /// </summary>
    public const long MaxRequestBodySize = 8 * 1024 * 1024;

    /// <summary>Time allowed for the request line and headers (slowloris): Kestrel's default is 30 s.</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Applies the limits.</summary>
    public static void Apply(KestrelServerLimits limits)
    {
        limits.MaxRequestBodySize = MaxRequestBodySize;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        // A slow body is cut off: at least 240 bytes/s after a 5 s grace (Kestrel's defaults, pinned here).
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.MaxRequestLineSize = 8 * 1024;
        limits.MaxRequestHeadersTotalSize = 32 * 1024;
        limits.MaxRequestHeaderCount = 100;
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(90);
        limits.Http2.MaxStreamsPerConnection = 100;
        limits.Http2.MaxRequestHeaderFieldSize = 16 * 1024;
    }
}
