using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Storage.Retention;

namespace Smallstep.Pki.Tests.Storage.Retention;

/// <summary>The retention timer, driven by a manual clock (no sleeping).</summary>
public sealed class ScheduledRetentionTests
{
    private static readonly RetentionOptions Daily = new() { Schedule = TimeSpan.FromHours(24), KeepExpiredFor = TimeSpan.FromDays(1) };

    [Test]
    public async Task The_first_prune_runs_five_minutes_after_start_then_once_per_schedule()
    {
        await using var store = new MemoryKeyValueStore(StepTables.Authority);
        await RetentionScenario.FillAsync(store);
        var clock = new ManualClock(RetentionScenario.Now.AddMinutes(-5));
        await using var retention = new ScheduledRetention(store, Daily, clock);
        retention.Start();

        clock.Advance(TimeSpan.FromMinutes(4));
        retention.CurrentRun.IsCompleted.Should().BeTrue();
        (await store.GetAsync(StepTables.X509Certs, "101"u8.ToArray())).Should().NotBeNull("nothing runs before the first delay");

        clock.Advance(TimeSpan.FromMinutes(1));
        await retention.CurrentRun;
        (await store.GetAsync(StepTables.X509Certs, "101"u8.ToArray())).Should().BeNull("expired more than keepExpiredFor before the run");
        (await store.GetAsync(StepTables.X509Certs, "203"u8.ToArray())).Should().NotBeNull();

        // Certificate 203 expires 30 days after "now"; with keepExpiredFor 1 day the run of day 32 removes it.
        for (var day = 1; day <= 32; day++)
        {
            var previous = retention.CurrentRun;
            clock.Advance(TimeSpan.FromDays(1));
            retention.CurrentRun.Should().NotBeSameAs(previous, $"day {day} starts a run");
            await retention.CurrentRun;
            (await store.GetAsync(StepTables.X509Certs, "203"u8.ToArray())).Should().Match<byte[]?>(row => (row == null) == (day == 32), $"day {day}");
        }
    }

    [Test]
    public async Task Stopping_disposes_the_timer_and_no_run_starts_afterwards()
    {
        await using var store = new MemoryKeyValueStore(StepTables.Authority);
        var clock = new ManualClock(RetentionScenario.Now);
        var retention = new ScheduledRetention(store, Daily, clock);
        retention.Start();
        retention.Start();
        clock.ActiveTimers.Should().Be(1, "Start is idempotent");

        await retention.StopAsync();
        clock.Advance(TimeSpan.FromDays(3));

        clock.ActiveTimers.Should().Be(0);
        retention.CurrentRun.IsCompleted.Should().BeTrue();
        await retention.DisposeAsync();
    }

    [Test]
    public async Task A_failing_prune_is_logged_and_the_next_schedule_runs_again()
    {
        var store = new FailingListStore();
        var clock = new ManualClock(RetentionScenario.Now);
        var log = new Factory.CapturingLogger();
        await using var retention = new ScheduledRetention(store, Daily, clock, log);
        retention.Start();

        clock.Advance(TimeSpan.FromMinutes(5));
        await retention.CurrentRun;
        clock.Advance(TimeSpan.FromDays(1));
        await retention.CurrentRun;

        store.Attempts.Should().Be(2);
        log.Entries.Count(e => e.EventId.Id == 3051 && e.Level == Microsoft.Extensions.Logging.LogLevel.Error).Should().Be(2);
    }

    // A store whose table listing fails, as a database that is down would.
    private sealed class FailingListStore : IKeyValueStore
    {
        private readonly MemoryKeyValueStore _inner = new();

        public int Attempts { get; private set; }

        public ValueTask<IReadOnlyList<string>> ListTablesAsync(CancellationToken cancellationToken = default)
        {
            Attempts++;
            throw Errors.PkiException.Internal("database is down");
        }

        public ValueTask CreateTableAsync(string table, CancellationToken cancellationToken = default) => _inner.CreateTableAsync(table, cancellationToken);

        public ValueTask<byte[]?> GetAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) => _inner.GetAsync(table, key, cancellationToken);

        public ValueTask SetAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) => _inner.SetAsync(table, key, value, cancellationToken);

        public ValueTask<bool> DeleteAsync(string table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(table, key, cancellationToken);

        public IAsyncEnumerable<KeyValueEntry> ListAsync(string table, CancellationToken cancellationToken = default) => _inner.ListAsync(table, cancellationToken);

        public ValueTask<CompareAndSwapResult> CompareAndSwapAsync(string table, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte> newValue, CancellationToken cancellationToken = default) =>
            _inner.CompareAndSwapAsync(table, key, expected, newValue, cancellationToken);

        public ValueTask<BatchResult> ApplyAsync(IReadOnlyList<KeyValueOperation> operations, CancellationToken cancellationToken = default) => _inner.ApplyAsync(operations, cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
