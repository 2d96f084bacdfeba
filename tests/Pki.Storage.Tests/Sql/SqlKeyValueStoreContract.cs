using System.Text.RegularExpressions;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Tests.Storage.Contract;

namespace Smallstep.Pki.Tests.Storage.Sql;

/// <summary>
/// The contract against a real SQL server named by an environment variable (scripts/db-servers.sh
/// starts throwaway ones); every test gets a new database, which the store creates on first use as
/// nosql does. Without the variable the fixture is ignored with the reason printed.
/// </summary>
public abstract class SqlKeyValueStoreContract : KeyValueStoreContract
{
    /// <summary>The DSN from the environment, set by <see cref="RequireServer"/>.</summary>
    protected string DataSourceName { get; private set; } = "";

    /// <summary>The environment variable holding the DSN.</summary>
    protected abstract string Variable { get; }

    /// <summary>A store on <paramref name="database"/> of the server named by <paramref name="dataSourceName"/>.</summary>
    protected abstract IKeyValueStore CreateStore(string dataSourceName, string database);

    [OneTimeSetUp]
    public void RequireServer()
    {
        var dsn = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(dsn))
        {
            Assert.Ignore($"set {Variable} (scripts/db-servers.sh) to run");
        }
        DataSourceName = dsn;
    }

    protected override IKeyValueStore CreateStore() => CreateStore(NewDatabaseName());

    private IKeyValueStore CreateStore(string database) => CreateStore(DataSourceName, database);

    private static string NewDatabaseName() => $"pki_t_{Guid.NewGuid():N}";

    [Test]
    public async Task Of_32_parallel_inserts_of_one_key_through_two_pools_exactly_one_wins()
    {
        var database = NewDatabaseName();
        await using var first = CreateStore(database);
        await using var second = CreateStore(database);
        await first.CreateTableAsync("used_ott");
        await second.CreateTableAsync("used_ott");

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
            (Writer: i, Result: await (i % 2 == 0 ? first : second).CompareAndSwapAsync("used_ott", Bytes("jti"), null, Bytes($"token {i}"))))));

        var winner = results.Should().ContainSingle(r => r.Result.Swapped).Subject;
        var winnerValue = Bytes($"token {winner.Writer}");
        results.Where(r => !r.Result.Swapped).Should().HaveCount(31).And.OnlyContain(r => r.Result.Current!.SequenceEqual(winnerValue));
        (await second.GetAsync("used_ott", Bytes("jti"))).Should().Equal(winnerValue);
        (await first.GetAsync("used_ott", Bytes("jti"))).Should().Equal(winnerValue);
    }

    [Test]
    public async Task Two_pools_may_create_the_database_and_the_same_tables_at_the_same_moment()
    {
        var database = NewDatabaseName();
        await using var first = CreateStore(database);
        await using var second = CreateStore(database);
        string[] tables = ["x509_certs", "x509_certs_data", "used_ott", "acme_keyID_accountID_index"];

        await Task.WhenAll(tables.SelectMany(table => new[] { first, second, first, second }.Select(store =>
            Task.Run(async () => await store.CreateTableAsync(table)))));

        foreach (var table in tables)
        {
            await first.SetAsync(table, Bytes("k"), Bytes(table));
            (await second.GetAsync(table, Bytes("k"))).Should().Equal(Bytes(table));
        }
    }

    [Test]
    public async Task A_rejected_login_is_an_internal_error_that_does_not_reveal_the_password()
    {
        // Both DSN forms (URL and go-sql-driver) hold the password between the first ':' and the '@'.
        var wrong = Regex.Replace(DataSourceName, ":[^:@/]+@", ":wrong-hunter2@");
        wrong.Should().Contain("wrong-hunter2");
        await using var store = CreateStore(wrong, NewDatabaseName());

        var error = (await store.Awaiting(s => s.GetAsync("x509_certs", Bytes("1")).AsTask()).Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.Internal);
        error.ToString().Should().NotContain("wrong-hunter2");
    }

    [Test]
    public async Task Rows_written_by_one_store_are_seen_by_another_on_the_same_database()
    {
        var database = NewDatabaseName();
        await using var writer = CreateStore(database);
        await writer.CreateTableAsync("x509_certs");
        await writer.SetAsync("x509_certs", Bytes("1234"), Bytes("der"));
        await using var reader = CreateStore(database);
        (await reader.GetAsync("x509_certs", Bytes("1234"))).Should().Equal(Bytes("der"));
    }
}
