using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// The ca.json <c>db</c> block (db/db.go <c>Config</c>). <c>type</c> is matched case-insensitively:
/// <c>badger</c>/<c>badgerv1</c>, <c>badgerv2</c>, <c>bbolt</c>, <c>mysql</c>, <c>postgresql</c>.
/// </summary>
public sealed record DatabaseConfig
{
    /// <summary><c>type</c>: the storage driver.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary><c>dataSource</c>: a directory for embedded stores, a DSN for SQL servers.</summary>
    public string DataSource { get; init; } = string.Empty;

    /// <summary><c>valueDir</c>: Badger value directory when different from <see cref="DataSource"/>.</summary>
    public string? ValueDir { get; init; }

    /// <summary><c>database</c>: SQL database name, overriding the DSN's.</summary>
    public string? Database { get; init; }

    /// <summary><c>badgerFileLoadingMode</c>: <c>MemoryMap</c> (default) or <c>FileIO</c>.</summary>
    public string BadgerFileLoadingMode { get; init; } = string.Empty;

    /// <summary>
    /// <c>retention</c> (this CA's own member; step-ca ignores it): the scheduled prune of expired
    /// data, <c>{"schedule":"24h","keepExpiredFor":"720h","batchSize":500}</c>, kept as JSON and read
    /// by Smallstep.Pki.Storage's <c>RetentionOptions</c>.
    /// </summary>
    public JsonElement? Retention { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    /// <summary>True when <see cref="DataSource"/> is a file-system path (not a SQL DSN).</summary>
    public bool IsEmbedded => !Type.Equals("mysql", StringComparison.OrdinalIgnoreCase)
        && !Type.Equals("postgresql", StringComparison.OrdinalIgnoreCase);

    internal static DatabaseConfig Read(ConfigObjectReader r) => new()
    {
        Type = r.String("type") ?? string.Empty,
        DataSource = r.String("dataSource") ?? string.Empty,
        ValueDir = r.String("valueDir"),
        Database = r.String("database"),
        BadgerFileLoadingMode = r.String("badgerFileLoadingMode") ?? string.Empty,
        Retention = r.Raw("retention"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", Type);
        w.WriteString("dataSource", DataSource);
        w.StringIfSet("valueDir", ValueDir);
        w.StringIfSet("database", Database);
        w.WriteString("badgerFileLoadingMode", BadgerFileLoadingMode);
        if (Retention is { } retention)
        {
            w.WritePropertyName("retention");
            retention.WriteTo(w);
        }
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}
