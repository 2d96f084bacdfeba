using Microsoft.Extensions.Logging;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Sqlite;

namespace Smallstep.Pki.Tests.Storage.Factory;

/// <summary>Opening storage from ca.json's <c>db</c> block.</summary>
[TestFixture]
public sealed class StorageFactoryTests
{
    private TempDirectory _directory = null!;
    private CapturingLogger _logger = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = new TempDirectory();
        _logger = new CapturingLogger();
    }

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    private IKeyValueStore Open(string type, string dataSource) => StorageFactory.Open(type, dataSource, null, _directory.Path, _logger);

    private static async Task ShouldHaveAuthorityTables(IKeyValueStore store)
    {
        foreach (var table in StepTables.Authority)
        {
            (await store.ListAsync(table).ToListAsync()).Should().BeEmpty();
        }
    }

    [Test]
    public async Task Sqlite_opens_the_file_relative_to_the_base_directory_without_warning()
    {
        await using var store = Open("sqlite", "ca.sqlite");
        ((SqliteKeyValueStore)store).Path.Should().Be(_directory.File("ca.sqlite"));
        File.Exists(_directory.File("ca.sqlite")).Should().BeTrue();
        await ShouldHaveAuthorityTables(store);
        _logger.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning);
    }

    [TestCase("badger")]
    [TestCase("badgerv1")]
    [TestCase("BadgerV2")]
    public async Task Badger_creates_the_directory_and_keeps_a_sqlite_file_inside(string type)
    {
        await using var store = Open(type, "db");
        ((SqliteKeyValueStore)store).Path.Should().Be(Path.Combine(_directory.Path, "db", StorageFactory.BadgerFileName));
        await ShouldHaveAuthorityTables(store);
        _logger.Entries.Where(e => e.Level == LogLevel.Warning).Should().ContainSingle()
            .Which.Message.Should().Contain("not read").And.Contain(type.ToLowerInvariant());
    }

    [Test]
    public async Task Bbolt_keeps_a_sqlite_file_beside_the_named_file()
    {
        var absolute = _directory.File("ca.db");
        await using var store = Open("BBOLT", absolute);
        ((SqliteKeyValueStore)store).Path.Should().Be(absolute + ".sqlite");
        await ShouldHaveAuthorityTables(store);
        _logger.Entries.Should().ContainSingle(e => e.Level == LogLevel.Warning);
    }

    [Test]
    public async Task Data_survives_reopening_through_the_factory()
    {
        await using (var store = Open("badgerv2", "db"))
        {
            await store.SetAsync(StepTables.UsedOtt, "jti"u8.ToArray(), "token"u8.ToArray());
        }
        await using var reopened = Open("badgerv2", "db");
        (await reopened.GetAsync(StepTables.UsedOtt, "jti"u8.ToArray())).Should().Equal("token"u8.ToArray());
    }

    [TestCase("postgresql", "PKI_TEST_POSTGRES")]
    [TestCase("MySQL", "PKI_TEST_MYSQL")]
    public async Task Sql_servers_open_from_their_dsn_with_every_authority_table(string type, string variable)
    {
        var dsn = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(dsn))
        {
            Assert.Ignore($"set {variable} (scripts/db-servers.sh) to run");
        }
        var database = "factory_" + Guid.NewGuid().ToString("N")[..12];
        await using var store = StorageFactory.Open(type, dsn!, database, Path.GetTempPath(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        foreach (var table in StepTables.Authority)
        {
            await store.SetAsync(table, "k"u8.ToArray(), "v"u8.ToArray());
            (await store.GetAsync(table, "k"u8.ToArray())).Should().Equal("v"u8.ToArray());
        }
    }

    [TestCase("")]
    [TestCase("leveldb")]
    public void Unknown_types_are_rejected_naming_the_field(string type) =>
        FluentActions.Invoking(() => Open(type, "db")).Should().Throw<PkiException>()
            .Which.Should().Match<PkiException>(e => e.Kind == PkiErrorKind.BadRequest && e.Message.StartsWith("db.type "));

    [Test]
    public void A_missing_data_source_is_rejected_naming_the_field() =>
        FluentActions.Invoking(() => Open("badgerv2", " ")).Should().Throw<PkiException>()
            .Which.Message.Should().Contain("db.dataSource");

    [Test]
    public void A_data_source_that_cannot_be_opened_is_rejected_naming_the_field()
    {
        var error = FluentActions.Invoking(() => Open("sqlite", Path.Combine("no", "such", "folder", "ca.sqlite"))).Should().Throw<PkiException>().Which;
        error.Kind.Should().Be(PkiErrorKind.BadRequest);
        error.Message.Should().StartWith("db.dataSource ");
    }
}
