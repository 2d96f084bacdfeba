using System.Text.Json;
using System.Text;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// <c>$STEPPATH/config/defaults.json</c>, the step client defaults that <c>step ca init</c> writes
/// next to ca.json (pki/pki.go <c>caDefaults</c>).
/// </summary>
public sealed record DefaultsConfig
{
    /// <summary><c>ca-url</c>, e.g. <c>https://localhost:9444</c> (first DNS name and the port).</summary>
    public string CaUrl { get; init; } = string.Empty;

    /// <summary><c>ca-config</c>: path of ca.json.</summary>
    public string CaConfig { get; init; } = string.Empty;

    /// <summary><c>fingerprint</c>: SHA-256 of the root certificate, lower-case hex.</summary>
    public string Fingerprint { get; init; } = string.Empty;

    /// <summary><c>root</c>: path of the root certificate.</summary>
    public string Root { get; init; } = string.Empty;

    /// <summary>Other members (the step client keeps more settings here), kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    /// <summary>Parses defaults.json text; throws <see cref="CaConfigException"/> listing every problem.</summary>
    public static DefaultsConfig Parse(string json) => ConfigDocument.ParseObject(json, "defaults.json", Read);

    /// <summary>Reads and parses a defaults.json file; throws <see cref="CaConfigException"/> when it cannot.</summary>
    public static DefaultsConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return ConfigDocument.ParseObject(File.ReadAllText(path), path, Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaConfigException(path, [ConfigDiagnostic.Error(string.Empty, $"cannot read the file: {e.Message}")]);
        }
    }

    /// <summary>The file text as step writes it: <c>json.MarshalIndent(v, "", "\t")</c>, no trailing newline.</summary>
    public string ToJson() => GoJsonEncoder.EncodeToString(
        w =>
        {
            w.WriteStartObject();
            w.WriteString("ca-url", CaUrl);
            w.WriteString("ca-config", CaConfig);
            w.WriteString("fingerprint", Fingerprint);
            w.WriteString("root", Root);
            w.Extensions(ExtensionData);
            w.WriteEndObject();
        },
        Configuration.CaConfig.FileFormat);

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> as UTF-8 without a byte order mark.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson(), new UTF8Encoding(false));

    // The step client's own settings live here too, so other members are expected: not reported.
    private static DefaultsConfig Read(ConfigObjectReader r) => new()
    {
        CaUrl = r.String("ca-url") ?? string.Empty,
        CaConfig = r.String("ca-config") ?? string.Empty,
        Fingerprint = r.String("fingerprint") ?? string.Empty,
        Root = r.String("root") ?? string.Empty,
        ExtensionData = r.Remaining(report: false),
    };
}
