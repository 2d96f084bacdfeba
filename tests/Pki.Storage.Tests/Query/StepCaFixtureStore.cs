using System.Text.Json;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Tests.Storage.Authority;

namespace Smallstep.Pki.Tests.Storage.Query;

/// <summary>
/// A memory store holding the exact rows step-ca 0.19 wrote to MariaDB (fixtures/step-ca-0.19/mysql:
/// 7 X.509 certificates, one revoked and one renewed without metadata, an ACME order, 2 SSH
/// certificates, 8 used tokens), read from the dump's bytes.
/// </summary>
internal static class StepCaFixtureStore
{
    public static JsonElement Manifest { get; } = JsonDocument.Parse(Fixtures.Text("mysql", "manifest.json")).RootElement.Clone();

    public static IReadOnlyList<string> Tables { get; } =
        Manifest.GetProperty("dump").GetProperty("tables_row_counts").EnumerateObject().Select(p => p.Name).ToArray();

    public static async Task<MemoryKeyValueStore> LoadAsync()
    {
        var dump = Fixtures.Bytes("mysql", "stepca.sql");
        var store = new MemoryKeyValueStore([.. Tables, .. StepTables.Authority]);
        foreach (var table in Tables)
        {
            foreach (var (key, value) in MysqlDumpRows.Read(dump, table))
            {
                await store.SetAsync(table, key, value);
            }
        }
        return store;
    }
}
