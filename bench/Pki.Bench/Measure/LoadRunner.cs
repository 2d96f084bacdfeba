using System.Diagnostics;

namespace Smallstep.Pki.Bench.Measure;

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers each issue one request after another
/// until <c>count</c> requests have been sent. Each request's latency runs from the moment its
/// worker is ready to send until the call completed, so time spent waiting for a thread-pool
/// thread (32 callers on 2 cores) counts as latency, as it would for a real client.
/// </summary>
internal static class LoadRunner
{
    /// <summary>Runs the load; <paramref name="call"/> returns false (or throws) for a failed request.</summary>
    public static async Task<LoadSample> RunAsync(int count, int concurrency, Func<int, ValueTask<bool>> call)
    {
        var latencies = new long[count];
        var next = -1;
        var errors = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    // Synchronous calls (memory store) would otherwise pin a thread per worker and
                    // hide the queueing a 32-caller load really sees on two cores.
                    await Task.Yield();
                    bool ok;
                    try
                    {
                        ok = await call(i).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        ok = false;
                        Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                    }
                    latencies[i] = Stopwatch.GetTimestamp() - t0;
                    if (!ok)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            });
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return LoadSample.From(latencies, elapsed, errors, firstError);
    }
}

/// <summary>What one load run measured.</summary>
internal sealed record LoadSample(int Requests, int Errors, string? FirstError, double Seconds, double RequestsPerSecond, double P50Ms, double P99Ms, double MaxMs)
{
    public static LoadSample From(long[] latencies, TimeSpan elapsed, int errors, string? firstError)
    {
        Array.Sort(latencies);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Percentile(double p) => latencies.Length == 0 ? 0 : Ms(latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)]);
        return new LoadSample(latencies.Length, errors, firstError, elapsed.TotalSeconds, latencies.Length / elapsed.TotalSeconds,
            Percentile(0.50), Percentile(0.99), latencies.Length == 0 ? 0 : Ms(latencies[^1]));
    }
}
