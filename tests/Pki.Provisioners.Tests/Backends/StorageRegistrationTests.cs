using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Acme;
using Smallstep.Pki.Storage.Memory;

namespace Smallstep.Pki.Tests.Backends;

/// <summary>A storage provider registered from this assembly for a new <c>db.type</c> is chosen by ca.json.</summary>
public sealed class StorageRegistrationTests
{
    [Test]
    public async Task A_db_type_registered_by_a_test_assembly_is_chosen_by_ca_json_with_every_registered_table()
    {
        using var pki = new PkiCopy(json => json["db"] = new JsonObject { ["type"] = "testdb", ["dataSource"] = "test-source" });
        var opened = new List<(StorageOpenContext Context, IKeyValueStore Store)>();
        var registration = new StorageProviderRegistration(["testdb"], (context, _) =>
        {
            var store = new MemoryKeyValueStore(context.Tables);
            opened.Add((context, store));
            return ValueTask.FromResult<IKeyValueStore>(store);
        });
        await using var app = EmbeddedApp.Build(pki, b => b
            .AddSoftKms(o => o.PasswordProvider = _ => PkiCopy.Password)
            .AddSqliteStorage()                        // registered but not chosen: ca.json says testdb
            .AddKeyValueStorageProvider(registration)
            .AddAcmeStorageTables()
            .AddJwkProvisioners());

        await app.StartAsync();

        var (context, store) = opened.Should().ContainSingle().Subject;
        context.Type.Should().Be("testdb");
        context.Database!.DataSource.Should().Be("test-source");
        context.Tables.Should().Contain(StepTables.Authority).And.Contain(AcmeTables.TableSet.Tables);
        app.Services.GetRequiredService<IKeyValueStore>().Should().BeSameAs(store);
        var response = await EmbeddedApp.SignAsync(app, pki, "stored.test");
        var leaf = await EmbeddedApp.VerifiedLeafAsync(response, pki);
        var serial = new System.Numerics.BigInteger(leaf.GetSerialNumber(), isUnsigned: true).ToString();
        (await store.GetAsync(StepTables.X509Certs, System.Text.Encoding.ASCII.GetBytes(serial))).Should().Equal(leaf.RawData);
        await app.StopAsync();
    }
}
