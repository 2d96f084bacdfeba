using System.Text;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Sqlite;

namespace Smallstep.Pki.Tests.Storage.Sqlite;

/// <summary>What the SQLite file looks like to other tools (checked with the real sqlite3 shell).</summary>
[TestFixture]
public sealed class SqliteFileFormatTests
{
    private TempDirectory _directory = null!;
    private string _path = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = new TempDirectory();
        _path = _directory.File("ca.sqlite");
    }

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task Each_bucket_is_a_table_named_exactly_as_the_bucket_with_nosql_columns()
    {
        await using (var store = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = _path, Tables = StepTables.Authority }))
        {
            await store.CreateTableAsync("acme_keyID_accountID_index");
        }

        var tables = await SqliteCommandLine.QueryAsync(_path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        tables.Split('\n').Should().BeEquivalentTo([.. StepTables.Authority, "acme_keyID_accountID_index"]);
        var columns = await SqliteCommandLine.QueryAsync(_path, "SELECT name || ' ' || type || ' ' || pk || ' ' || \"notnull\" FROM pragma_table_info('acme_keyID_accountID_index')");
        columns.Split('\n').Should().Equal("nkey BLOB 1 1", "nvalue BLOB 0 0");
    }

    [Test]
    public async Task The_database_is_in_WAL_mode()
    {
        await using (new SqliteKeyValueStore(_path))
        {
        }
        (await SqliteCommandLine.QueryAsync(_path, "PRAGMA journal_mode")).Should().Be("wal");
    }

    [Test]
    public async Task Values_are_stored_as_blobs_readable_by_other_tools()
    {
        await using var store = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = _path, Tables = [StepTables.UsedOtt] });
        await store.SetAsync(StepTables.UsedOtt, Encoding.UTF8.GetBytes("jti"), Encoding.UTF8.GetBytes("token"));

        (await SqliteCommandLine.QueryAsync(_path, "SELECT typeof(nkey), typeof(nvalue), CAST(nkey AS TEXT), CAST(nvalue AS TEXT) FROM used_ott"))
            .Should().Be("blob|blob|jti|token");
    }

    [Test]
    public async Task The_key_limit_also_holds_for_rows_written_by_other_tools()
    {
        await using (new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = _path, Tables = [StepTables.UsedOtt] }))
        {
        }
        (await SqliteCommandLine.RunAsync(_path, "INSERT INTO used_ott VALUES (zeroblob(255), x'00')")).ExitCode.Should().Be(0);
        var rejected = await SqliteCommandLine.RunAsync(_path, "INSERT INTO used_ott VALUES (zeroblob(256), x'00')");
        rejected.ExitCode.Should().NotBe(0);
        rejected.Error.Should().Contain("CHECK constraint failed");
    }
}
