using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smallstep.Pki.Storage.Migration;

/// <summary>
/// How far the copy of one table got, stored in the destination's <c>pki_migration</c> table (key:
/// the table name) in the same transaction as the rows it covers, so after a crash the checkpoint
/// and the copied rows always agree. JSON: <c>{"after":"&lt;base64 of the last key&gt;"|null,"rows":N,"complete":bool}</c>.
/// </summary>
/// <param name="After">The last key copied (null: none yet).</param>
/// <param name="Rows">Rows copied into the destination so far.</param>
/// <param name="Complete">True when the whole table was copied.</param>
internal sealed record MigrationCheckpoint(byte[]? After, long Rows, bool Complete)
{
    /// <summary>The table holding checkpoints in the destination; never copied itself.</summary>
    public const string Table = "pki_migration";

    /// <summary>Nothing copied yet.</summary>
    public static MigrationCheckpoint Start { get; } = new(null, 0, false);

    /// <summary>The checkpoint of <paramref name="table"/>, or <see cref="Start"/>.</summary>
    /// <exception cref="Errors.PkiException">Kind Internal: the stored checkpoint is not ours.</exception>
    public static async Task<MigrationCheckpoint> ReadAsync(IKeyValueStore destination, string table, CancellationToken cancellationToken)
    {
        var value = await destination.GetAsync(Table, Key(table), cancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            return Start;
        }
        try
        {
            var json = JsonSerializer.Deserialize(value, MigrationCheckpointJson.Default.Stored);
            return json is null ? Start : new MigrationCheckpoint(json.After is null ? null : Convert.FromBase64String(json.After), json.Rows, json.Complete);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw Errors.PkiException.Internal($"{Table} row for {table} is not a migration checkpoint: {ex.Message}", ex);
        }
    }

    /// <summary>The write that stores this checkpoint.</summary>
    public KeyValueOperation Write(string table) =>
        KeyValueOperation.Set(Table, Key(table), JsonSerializer.SerializeToUtf8Bytes(new Stored(After is null ? null : Convert.ToBase64String(After), Rows, Complete), MigrationCheckpointJson.Default.Stored));

    private static byte[] Key(string table) => System.Text.Encoding.UTF8.GetBytes(table);

    /// <summary>The JSON shape.</summary>
    internal sealed record Stored(
        [property: JsonPropertyName("after")] string? After,
        [property: JsonPropertyName("rows")] long Rows,
        [property: JsonPropertyName("complete")] bool Complete);
}

/// <summary>Source-generated JSON for <see cref="MigrationCheckpoint.Stored"/>.</summary>
[JsonSerializable(typeof(MigrationCheckpoint.Stored))]
internal sealed partial class MigrationCheckpointJson : JsonSerializerContext;
