using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Sqlite;

namespace Smallstep.Pki.Tests.Storage.Contract;

/// <summary>The contract against a SQLite file (a new one per test); group commit is on, as in production.</summary>
[TestFixture]
public class SqliteKeyValueStoreContractTests : KeyValueStoreContract
{
    // One folder per fixture: NUnit runs the base class's per-test set-up before a subclass's.
    private TempDirectory _directory = null!;

    [OneTimeSetUp]
    public void CreateDirectory() => _directory = new TempDirectory();

    [OneTimeTearDown]
    public void DeleteDirectory() => _directory.Dispose();

    protected override IKeyValueStore CreateStore() => new SqliteKeyValueStore(Options(_directory.File($"{Guid.NewGuid():N}.sqlite")));

    protected virtual SqliteKeyValueStoreOptions Options(string path) => new() { Path = path };
}

/// <summary>The contract with every write in its own transaction and few readers, to show group commit changes no outcome.</summary>
[TestFixture]
public sealed class SqliteWithoutGroupCommitContractTests : SqliteKeyValueStoreContractTests
{
    protected override SqliteKeyValueStoreOptions Options(string path) =>
        new() { Path = path, MaxWritesPerTransaction = 1, MaxReadConnections = 1 };
}
