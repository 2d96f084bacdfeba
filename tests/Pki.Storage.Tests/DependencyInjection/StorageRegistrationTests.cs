using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Storage.Sqlite;

namespace Smallstep.Pki.Tests.Storage.DependencyInjection;

[TestFixture]
public sealed class StorageRegistrationTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task AddSqliteStorage_registers_one_store_and_the_authority_stores_over_it()
    {
        var services = new ServiceCollection();
        services.AddPki().AddSqliteStorage(_directory.File("ca.sqlite")).AddSqliteStorage(_directory.File("other.sqlite"));

        services.Count(d => d.ServiceType == typeof(IKeyValueStore)).Should().Be(1, "registration is idempotent");
        services.Count(d => d.ServiceType == typeof(ITokenReplayStore)).Should().Be(1);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IKeyValueStore>();
        store.Should().BeOfType<SqliteKeyValueStore>().Which.Path.Should().Be(_directory.File("ca.sqlite"));
        provider.GetRequiredService<IKeyValueStore>().Should().BeSameAs(store);

        (await provider.GetRequiredService<ITokenReplayStore>().TryUseAsync("jti", "token")).Should().BeTrue();
        (await store.GetAsync(StepTables.UsedOtt, "jti"u8.ToArray())).Should().Equal("token"u8.ToArray());
        (await provider.GetRequiredService<IRevocationStore>().IsRevokedAsync("1")).Should().BeFalse();
        (await provider.GetRequiredService<ICertificateStore>().GetDerAsync("1")).Should().BeNull();
    }

    [Test]
    public async Task AddMemoryStorage_works_and_the_first_registered_store_wins()
    {
        var services = new ServiceCollection();
        services.AddPki().AddMemoryStorage().AddSqliteStorage(_directory.File("ca.sqlite"));

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IKeyValueStore>().Should().BeOfType<MemoryKeyValueStore>();
        (await provider.GetRequiredService<ITokenReplayStore>().TryUseAsync("jti", "token")).Should().BeTrue();
        File.Exists(_directory.File("ca.sqlite")).Should().BeFalse();
    }

    [Test]
    public async Task A_synchronously_disposed_container_closes_the_store()
    {
        var services = new ServiceCollection();
        services.AddPki().AddSqliteStorage(_directory.File("sync.sqlite"));
        var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IKeyValueStore>();

        FluentActions.Invoking(provider.Dispose).Should().NotThrow();
        await store.Awaiting(s => s.SetAsync(StepTables.UsedOtt, "k"u8.ToArray(), "v"u8.ToArray()).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Test]
    public void A_synchronously_disposed_container_accepts_the_memory_store()
    {
        var services = new ServiceCollection();
        services.AddPki().AddMemoryStorage();
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IKeyValueStore>();
        FluentActions.Invoking(provider.Dispose).Should().NotThrow();
    }
}
