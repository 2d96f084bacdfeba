using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// One ACME row's JSON, read leniently: a member that is missing or of the wrong type reads as absent,
/// and a row that is not a JSON object does not parse (the rules then keep it).
/// </summary>
internal sealed class AcmeRow
{
    private const int MaxBytes = 1024 * 1024;
    private readonly JsonElement _root;

    private AcmeRow(JsonElement root) => _root = root;

    /// <summary>Parses a row; null when it is not a JSON object.</summary>
    public static AcmeRow? Parse(byte[] value)
    {
        if (value.Length > MaxBytes)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.ValueKind == JsonValueKind.Object ? new AcmeRow(document.RootElement.Clone()) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A Go <c>time.Time</c> member; null when absent, unparseable or Go's zero time.</summary>
    public DateTimeOffset? Time(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && GoTimeJson.TryParse(value.GetString()!, out var time) && time != DateTimeOffset.MinValue
            ? time
            : null;

    /// <summary>A string member, or null.</summary>
    public string? String(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The strings of an array member; empty when absent.</summary>
    public IReadOnlyList<string> Strings(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
            : [];
}
