using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Sqlite;
using Smallstep.Pki.Tests.Storage.CrossProcess;

namespace Smallstep.Pki.Tests.Storage.Sqlite;

/// <summary>Persistence, other processes, process kill, shutdown and failure isolation of the SQLite store.</summary>
[TestFixture]
public sealed class SqliteDurabilityTests
{
    private const string Table = "rows";
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

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private SqliteKeyValueStore Open(params string[] tables) => new(new SqliteKeyValueStoreOptions { Path = _path, Tables = tables });

    [Test]
    public async Task Data_persists_after_dispose_and_reopen()
    {
        await using (var store = Open(Table))
        {
            await store.SetAsync(Table, Bytes("k"), Bytes("v"));
            await store.ApplyAsync([KeyValueOperation.Set(Table, Bytes("a"), Bytes("1")), KeyValueOperation.Set(Table, Bytes("b"), Bytes("2"))]);
        }
        await using var reopened = Open();
        (await reopened.ListAsync(Table).ToListAsync()).Select(e => Encoding.UTF8.GetString(e.Key) + "=" + Encoding.UTF8.GetString(e.Value))
            .Should().Equal("a=1", "b=2", "k=v");
    }

    [Test]
    public async Task Rows_written_by_another_process_are_seen_by_an_open_store_and_a_new_one()
    {
        await using var store = Open(ChildProgram.Table);
        await store.SetAsync(ChildProgram.Table, Bytes("parent"), Bytes("before the child"));

        (await ChildProcess.RunAsync("write", _path, "300")).Should().Contain("done");

        (await store.GetAsync(ChildProgram.Table, Bytes("row 299"))).Should().Equal(Bytes("value 299"));
        (await store.ListAsync(ChildProgram.Table).ToListAsync()).Should().HaveCount(301);
        await using var fresh = Open();
        (await fresh.GetAsync(ChildProgram.Table, Bytes("row 0"))).Should().Equal(Bytes("value 0"));
    }

    [Test]
    public async Task A_table_created_by_another_process_after_opening_is_usable()
    {
        await using var store = Open();
        (await ChildProcess.RunAsync("write", _path, "3")).Should().Contain("done");
        (await store.GetAsync(ChildProgram.Table, Bytes("row 2"))).Should().Equal(Bytes("value 2"));
    }

    [Test]
    public async Task A_killed_writer_leaves_every_acknowledged_batch_and_no_half_batch()
    {
        var acknowledged = new List<int>();
        using (var child = ChildProcess.Start("batches", _path))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (acknowledged.Count < 500 && await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                acknowledged.Add(int.Parse(line["ack ".Length..]));
            }
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
        acknowledged.Should().HaveCount(500, "the child must have been writing when it was killed");

        await using var store = Open();
        var rows = (await store.ListAsync(ChildProgram.Table).ToListAsync()).Select(e => Encoding.UTF8.GetString(e.Key)).ToHashSet();
        var data = (await store.ListAsync(ChildProgram.DataTable).ToListAsync()).Select(e => Encoding.UTF8.GetString(e.Key)).ToHashSet();
        rows.Should().BeEquivalentTo(data, "each batch wrote both tables in one transaction");
        rows.Should().Contain(acknowledged.Select(n => $"{n:D9}"));
    }

    [Test]
    public async Task Dispose_commits_writes_already_queued_and_later_calls_fail()
    {
        var store = Open(Table);
        var writes = Enumerable.Range(0, 1000).Select(i => store.SetAsync(Table, Bytes($"{i}"), Bytes("v")).AsTask()).ToList();
        await store.DisposeAsync();
        await Task.WhenAll(writes);

        await store.Awaiting(s => s.SetAsync(Table, Bytes("late"), Bytes("v")).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
        await using var reopened = Open();
        (await reopened.ListAsync(Table).ToListAsync()).Should().HaveCount(1000);
    }

    [Test]
    public async Task A_write_cancelled_before_it_runs_is_not_applied()
    {
        await using var store = Open(Table);
        await store.Awaiting(s => s.SetAsync(Table, Bytes("k"), Bytes("v"), new CancellationToken(canceled: true)).AsTask())
            .Should().ThrowAsync<OperationCanceledException>();
        (await store.GetAsync(Table, Bytes("k"))).Should().BeNull();
    }

    [Test]
    public async Task A_write_failing_inside_a_shared_transaction_fails_alone()
    {
        // The store believes "victim" exists; another process drops it, so statements on it fail
        // while they share group-commit transactions with healthy writes.
        await using var store = Open(Table, "victim");
        await SqliteCommandLine.QueryAsync(_path, "DROP TABLE victim");

        var healthy = Enumerable.Range(0, 200).Select(i => store.SetAsync(Table, Bytes($"ok {i}"), Bytes("v")).AsTask()).ToList();
        var failingSet = store.SetAsync("victim", Bytes("k"), Bytes("v")).AsTask();
        var failingBatch = store.ApplyAsync([KeyValueOperation.Set(Table, Bytes("half"), Bytes("v")), KeyValueOperation.Set("victim", Bytes("k"), Bytes("v"))]).AsTask();
        healthy.AddRange(Enumerable.Range(200, 200).Select(i => store.SetAsync(Table, Bytes($"ok {i}"), Bytes("v")).AsTask()));

        await Task.WhenAll(healthy);
        (await failingSet.Awaiting(t => t).Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Internal);
        (await failingBatch.Awaiting(t => t).Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Internal);
        (await store.GetAsync(Table, Bytes("half"))).Should().BeNull("the failed batch was rolled back to its savepoint");
        (await store.ListAsync(Table).ToListAsync()).Should().HaveCount(400);
    }

    [Test]
    public async Task Opening_something_that_is_not_a_database_fails_with_a_PkiException()
    {
        await File.WriteAllTextAsync(_path, new string('x', 4096));
        FluentActions.Invoking(() => Open(Table)).Should().Throw<PkiException>().Which.Message.Should().Contain(_path);
    }
}
