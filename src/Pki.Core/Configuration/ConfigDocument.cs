using System.Text;
using System.Text.Json;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// Parses configuration text into a <see cref="JsonDocument"/> with Go's strictness (no comments,
/// no trailing commas) and turns syntax errors into a <see cref="CaConfigException"/> that gives
/// the line and column instead of a stack trace.
/// </summary>
internal static class ConfigDocument
{
    /// <summary>Largest configuration file accepted (ca.json files are a few kilobytes).</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>Parses <paramref name="utf8"/>; throws <see cref="CaConfigException"/> on malformed JSON.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string source)
    {
        if (utf8.Length > MaxBytes)
        {
            throw new CaConfigException(source, [ConfigDiagnostic.Error(string.Empty, $"file is larger than {MaxBytes} bytes")]);
        }
        try
        {
            return JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line
                ? $"malformed JSON at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}"
                : "malformed JSON";
            throw new CaConfigException(source, [ConfigDiagnostic.Error(string.Empty, $"{where}: {Reason(e.Message)}")]);
        }
    }

    /// <summary>
    /// Parses <paramref name="json"/> as one object read by <paramref name="read"/>. Errors throw
    /// a <see cref="CaConfigException"/> listing all of them; warnings go to <paramref name="warnings"/>.
    /// </summary>
    public static T ParseObject<T>(string json, string source, Func<ConfigObjectReader, T> read, ICollection<ConfigDiagnostic>? warnings = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(Encoding.UTF8.GetBytes(json), source);
        return Read(document.RootElement, source, read, warnings);
    }

    /// <summary>Reads an already parsed root element; see <see cref="ParseObject{T}"/>.</summary>
    public static T Read<T>(JsonElement root, string source, Func<ConfigObjectReader, T> read, ICollection<ConfigDiagnostic>? warnings)
        where T : class
    {
        var diagnostics = new List<ConfigDiagnostic>();
        var reader = ConfigObjectReader.Open(root, string.Empty, diagnostics);
        var value = reader is null ? null : read(reader);
        var errors = diagnostics.Where(d => d.Severity == ConfigDiagnosticSeverity.Error).ToList();
        if (errors.Count > 0 || value is null)
        {
            throw new CaConfigException(source, errors);
        }
        foreach (var diagnostic in diagnostics)
        {
            warnings?.Add(diagnostic);
        }
        return value;
    }

    // System.Text.Json appends " LineNumber: n | BytePositionInLine: m." and sometimes a path;
    // the position is already given in our own words.
    private static string Reason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = cut >= 0 ? message[..cut] : message;
        cut = reason.IndexOf(" Path: ", StringComparison.Ordinal);
        return (cut >= 0 ? reason[..cut] : reason).TrimEnd('.', ' ');
    }
}
