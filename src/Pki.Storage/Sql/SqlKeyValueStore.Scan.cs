using System.Data.Common;
using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Sql;

/// <summary>Paged scans and table discovery (<see cref="IKeyValueStore.ScanAsync"/>, <see cref="IKeyValueStore.ListTablesAsync"/>).</summary>
public abstract partial class SqlKeyValueStore
{
    /// <inheritdoc />
    /// <remarks>Each page is one statement on a pooled connection, returned before the page is
    /// yielded; a transient failure of a page is retried like any other read.</remarks>
    public IAsyncEnumerable<KeyValueEntry> ScanAsync(string table, ReadOnlyMemory<byte>? after = null, CancellationToken cancellationToken = default)
    {
        var sql = SqlFor(table);
        return KeyValueScanPages.Walk(after, async (cursor, ct) =>
            await RunAsync(connection => ReadPageAsync(connection, cursor is null ? sql.ScanFirst : sql.ScanAfter, cursor, ct), ct).ConfigureAwait(false),
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListTablesAsync(CancellationToken cancellationToken = default) =>
        await RunAsync(async connection =>
        {
            await using var command = SqlCommands.Create(connection, null, _dialect.ListTables, null, null);
            await using var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var names = new List<string>();
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                names.Add(rows.GetString(0));
            }
            names.Sort(StringComparer.Ordinal);
            return (IReadOnlyList<string>)names;
        }, cancellationToken).ConfigureAwait(false);

    private static async Task<List<KeyValueEntry>> ReadPageAsync(DbConnection connection, string sql, byte[]? after, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, null, sql, after, null);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<KeyValueEntry>();
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(new KeyValueEntry(SqlCommands.ToValue(rows.GetValue(0)) ?? [], SqlCommands.ToValue(rows.GetValue(1)) ?? []));
        }
        return page;
    }
}
