using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>The ca.json <c>logger</c> block (logging/logger.go).</summary>
public sealed record LoggerConfig
{
    /// <summary><c>format</c>: <c>text</c> (also when empty), <c>json</c> or <c>common</c>, case-insensitive.</summary>
    public string? Format { get; init; }

    /// <summary><c>traceHeader</c>: request header carrying the request id (step-ca default <c>X-Smallstep-Id</c>).</summary>
    public string? TraceHeader { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static LoggerConfig Read(ConfigObjectReader r) => new()
    {
        Format = r.String("format"),
        TraceHeader = r.String("traceHeader"),
        ExtensionData = r.Remaining(),
    };

    // step-ca keeps this block as raw JSON and re-indents it, so only what was given is written.
    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        if (Format is not null)
        {
            w.WriteString("format", Format);
        }
        if (TraceHeader is not null)
        {
            w.WriteString("traceHeader", TraceHeader);
        }
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}
