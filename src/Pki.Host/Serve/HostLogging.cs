using Microsoft.Extensions.Logging.Console;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// ca.json <c>logger.format</c>: <c>text</c> (default, one line per entry) or <c>json</c> (one JSON
/// object per line). <c>STEPDEBUG=1</c> turns on debug output, as it does for step-ca.
/// </summary>
internal static class HostLogging
{
    public static void Configure(ILoggingBuilder logging, string? format)
    {
        logging.ClearProviders();
        if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy/MM/dd HH:mm:ss ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
        var debug = Environment.GetEnvironmentVariable("STEPDEBUG") == "1";
        logging.SetMinimumLevel(debug ? LogLevel.Debug : LogLevel.Information);
        // Our request logger writes the one line per request; the framework's own lines are noise.
        logging.AddFilter("Microsoft", debug ? LogLevel.Information : LogLevel.Warning);
        // Requests Kestrel refuses before any endpoint runs (malformed framing, oversized headers,
        // slow clients) get no request line from us: keep Kestrel's own line ("bad request data",
        // logged at debug level) so every refusal is in the log.
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.BadRequests", LogLevel.Debug);
        // A failed start (e.g. a busy address) is reported by the host as a message naming the
        // ca.json field; the generic host's own "Hosting failed to start" stack trace is debug output.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", debug ? LogLevel.Information : LogLevel.Critical);
    }
}
