using System.Data.Common;
using System.Text;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Storage.Sql;

/// <summary>
/// A SQL store keeps working through what a shared server does to its sessions: connections killed
/// in the pool or in the middle of a transaction, deadlocks with another client, and concurrent
/// compare-and-swap writers on other connection pools (several CA nodes on one database).
/// </summary>
public abstract class SqlRecoveryTests
{
    private const string Table = "recovery";
    private string _database = null!;
    private IKeyValueStore _store = null!;
    private DbConnection _observer = null!;

    /// <summary>The server under test.</summary>
    protected abstract SqlTestServer Server { get; }

    // A SQL transaction's row reads run synchronously (KeyValueSemantics is shared with SQLite), so
    // each call waiting for a row lock holds a thread-pool thread; the tests park up to 8 of them at
    // once, more than the pool starts with on a two-core machine, where adding threads takes seconds.
    [OneTimeSetUp]
    public void AllowBlockedCallers()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
    }

    [SetUp]
    public async Task CreateStore()
    {
        _database = SqlTestServer.NewDatabaseName();
        _store = Server.CreateStore(Server.Dsn, _database);
        await _store.CreateTableAsync(Table);
        // Watches sessions from the DSN's own database, so it never counts itself.
        _observer = await Server.OpenAsync();
    }

    [TearDown]
    public async Task DisposeStore()
    {
        await _observer.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Test]
    public async Task Pooled_connections_killed_by_the_server_are_replaced_without_an_error()
    {
        await _store.SetAsync(Table, Bytes("counter"), Bytes("0"));
        await FillPoolAsync(8);
        var pooled = await Server.SessionsAsync(_observer, _database);
        pooled.Should().HaveCountGreaterThanOrEqualTo(8);

        foreach (var session in pooled)
        {
            await Server.KillAsync(_observer, session);
        }

        // Every pooled connection is dead: one call, then many at once, each on a fresh connection.
        await _store.SetAsync(Table, Bytes("first"), Bytes("v"));
        (await _store.GetAsync(Table, Bytes("first"))).Should().Equal(Bytes("v"));
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await _store.SetAsync(Table, Bytes($"after {i}"), Bytes("v"));
            (await _store.GetAsync(Table, Bytes($"after {i}"))).Should().Equal(Bytes("v"));
        })));
        (await Server.SessionsAsync(_observer, _database)).Should().NotIntersectWith(pooled);
    }

    [Test]
    public async Task A_connection_killed_in_the_middle_of_a_compare_and_swap_is_retried_on_a_new_one()
    {
        await _store.SetAsync(Table, Bytes("k"), Bytes("old"));
        await using var holder = await Server.OpenAsync(_database);
        await using var lockHolder = await holder.BeginTransactionAsync();
        await Server.LockRowAsync(lockHolder, Table, "k");

        var swap = Task.Run(() => _store.CompareAndSwapAsync(Table, Bytes("k"), Bytes("old"), Bytes("new")).AsTask());
        var waiting = await WaitForLockWaitersAsync(1);
        await Server.KillAsync(_observer, waiting.Single());
        await lockHolder.RollbackAsync();

        (await swap).Swapped.Should().BeTrue("the store ran the transaction again on a fresh connection");
        (await _store.GetAsync(Table, Bytes("k"))).Should().Equal(Bytes("new"));
    }

    [Test]
    public async Task The_deadlock_victim_is_retried_so_both_transactions_go_through()
    {
        await _store.SetAsync(Table, Bytes("a"), Bytes("before"));
        await _store.SetAsync(Table, Bytes("b"), Bytes("before"));
        await using var other = await Server.OpenDeadlockSurvivorAsync(_database);
        await using var otherTransaction = await other.BeginTransactionAsync();
        await Server.MakeHeavyAsync(otherTransaction, Table);
        await Server.LockRowAsync(otherTransaction, Table, "b");

        // The store locks a, then waits for b; the other client then asks for a: a deadlock
        // (PostgreSQL 40P01, MySQL 1213) in which the server rolls the store's transaction back.
        var batch = Task.Run(() => _store.ApplyAsync([KeyValueOperation.Set(Table, Bytes("a"), Bytes("store")), KeyValueOperation.Set(Table, Bytes("b"), Bytes("store"))]).AsTask());
        await WaitForLockWaitersAsync(1);
        await Server.LockRowAsync(otherTransaction, Table, "a");
        batch.IsCompleted.Should().BeFalse("the store's retry now waits for the other client's locks");
        await otherTransaction.RollbackAsync();

        (await batch).Committed.Should().BeTrue();
        (await _store.GetAsync(Table, Bytes("a"))).Should().Equal(Bytes("store"));
        (await _store.GetAsync(Table, Bytes("b"))).Should().Equal(Bytes("store"));
    }

    [Test]
    public async Task Compare_and_swap_increments_through_four_pools_never_lose_an_update()
    {
        // step-ca issue #341: several CA nodes on one database must not lose a read-modify-write.
        const int pools = 4, workersPerPool = 4, incrementsEach = 15;
        await _store.SetAsync(Table, Bytes("counter"), Bytes("0"));
        var nodes = Enumerable.Range(0, pools).Select(_ => Server.CreateStore(Server.Dsn, _database)).ToArray();
        try
        {
            var lost = 0;
            await Task.WhenAll(nodes.SelectMany(node => Enumerable.Range(0, workersPerPool).Select(_ => Task.Run(async () =>
            {
                for (var done = 0; done < incrementsEach;)
                {
                    var current = (await node.GetAsync(Table, Bytes("counter")))!;
                    var next = Bytes((int.Parse(Encoding.UTF8.GetString(current)) + 1).ToString());
                    if ((await node.CompareAndSwapAsync(Table, Bytes("counter"), current, next)).Swapped)
                    {
                        done++;
                    }
                    else
                    {
                        Interlocked.Increment(ref lost);
                    }
                }
            }))));

            Encoding.UTF8.GetString((await _store.GetAsync(Table, Bytes("counter")))!).Should().Be((pools * workersPerPool * incrementsEach).ToString());
            lost.Should().BePositive("the writers really raced (a swap that lost was retried by its caller)");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    // Opens `count` pooled connections at once: a lock held elsewhere keeps each compare-and-swap
    // waiting on its own connection until all of them are open.
    private async Task FillPoolAsync(int count)
    {
        await using var holder = await Server.OpenAsync(_database);
        await using var lockHolder = await holder.BeginTransactionAsync();
        await Server.LockRowAsync(lockHolder, Table, "counter");
        // Task.Run: a transaction's row reads run synchronously and would block this thread.
        var swaps = Enumerable.Range(0, count).Select(_ => Task.Run(() => _store.CompareAndSwapAsync(Table, Bytes("counter"), Bytes("0"), Bytes("1")).AsTask())).ToArray();
        await WaitForLockWaitersAsync(count);
        await lockHolder.RollbackAsync();
        (await Task.WhenAll(swaps)).Count(r => r.Swapped).Should().Be(1);
    }

    private async Task<IReadOnlyList<long>> WaitForLockWaitersAsync(int count)
    {
        IReadOnlyList<long> waiting = [];
        await SqlTestServer.WaitForAsync(async () => (waiting = await Server.SessionsAsync(_observer, _database, waitingForLockOnly: true)).Count >= count,
            $"{count} store session(s) wait for a row lock");
        return waiting;
    }
}
