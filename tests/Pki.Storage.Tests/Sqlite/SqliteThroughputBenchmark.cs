using System.Diagnostics;
using System.Text;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Sqlite;

namespace Smallstep.Pki.Tests.Storage.Sqlite;

/// <summary>
/// Throughput of the SQLite store under the issuance write pattern: one insert-if-absent into
/// <c>used_ott</c> and one two-row batch (<c>x509_certs</c> + <c>x509_certs_data</c>) per certificate.
/// Explicit: run with <c>dotnet test --filter Category=Benchmark --logger "console;verbosity=detailed"</c>.
/// </summary>
[TestFixture, Explicit("benchmark"), Category("Benchmark")]
public sealed class SqliteThroughputBenchmark
{
    private const int Callers = 32;
    private const int Warm = 3000;
    private static readonly byte[] Der = new byte[800];
    private static readonly byte[] Metadata = Encoding.UTF8.GetBytes("{\"provisioner\":{\"id\":\"fixture-admin:RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw\",\"name\":\"fixture-admin\",\"type\":\"JWK\"}}");

    [TestCase(1024, 10_000)]
    [TestCase(1, 2_000)]
    public async Task Issuance_writes_with_32_concurrent_callers(int maxWritesPerTransaction, int count)
    {
        using var directory = new TempDirectory();
        await using var store = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions
        {
            Path = directory.File("bench.sqlite"),
            Tables = StepTables.Authority,
            MaxWritesPerTransaction = maxWritesPerTransaction,
        });

        // Warm-up until tiered JIT has compiled the hot paths fully (tier 1), which takes seconds on a busy machine.
        for (var round = 0; round < 3; round++)
        {
            await Measure(Warm, async i => await store.CompareAndSwapAsync(StepTables.UsedOtt, Key($"warm{round}", i), null, Der));
            await Measure(Warm, async i => await store.ApplyAsync(CertificateBatch(Key($"warm{round}", i))));
        }

        var tokens = await Measure(count, async i =>
            (await store.CompareAndSwapAsync(StepTables.UsedOtt, Key("jti", i), null, Encoding.UTF8.GetBytes($"token {i}"))).Swapped.Should().BeTrue());
        var batches = await Measure(count, async i =>
            (await store.ApplyAsync(CertificateBatch(Key("cert", i)))).Committed.Should().BeTrue());
        var issuances = await Measure(count, async i =>
        {
            (await store.CompareAndSwapAsync(StepTables.UsedOtt, Key("issuance", i), null, Encoding.UTF8.GetBytes($"token {i}"))).Swapped.Should().BeTrue();
            (await store.ApplyAsync(CertificateBatch(Key("issued", i)))).Committed.Should().BeTrue();
        });
        var reads = await Measure(count, async i => (await store.GetAsync(StepTables.X509Certs, Key("cert", i))).Should().NotBeNull());

        (await store.ListAsync(StepTables.X509Certs).ToListAsync()).Should().HaveCount((2 * count) + (3 * Warm));
        TestContext.Out.WriteLine(
            $"{Environment.ProcessorCount} cores, group commit up to {maxWritesPerTransaction}, {Callers} callers, {count} each: " +
            $"insert-if-absent {tokens:F0}/s, 2-row batches {batches:F0}/s, issuances (both) {issuances:F0}/s, point reads {reads:F0}/s");
    }

    private static byte[] Key(string prefix, int i) => Encoding.ASCII.GetBytes($"{prefix}{i:D38}");

    private static KeyValueOperation[] CertificateBatch(byte[] serial) =>
        [KeyValueOperation.Set(StepTables.X509Certs, serial, Der), KeyValueOperation.Set(StepTables.X509CertsData, serial, Metadata)];

    // Runs `count` operations from `Callers` concurrent loops; returns operations per second.
    private static async Task<double> Measure(int count, Func<int, Task> operation)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await operation(i);
            }
        })));
        return count / clock.Elapsed.TotalSeconds;
    }
}
