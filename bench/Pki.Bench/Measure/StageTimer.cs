using System.Diagnostics;

namespace Smallstep.Pki.Bench.Measure;

/// <summary>
/// Times one stage in isolation: one call at a time on one thread, after a warm-up, in five
/// batches. The fastest batch's mean is reported: on a shared machine a batch that another process
/// preempted is slower, never faster, so the minimum is the best estimate of the stage's own cost.
/// </summary>
internal static class StageTimer
{
    private const int Batches = 5;

    /// <summary>Mean microseconds per call (fastest batch) and bytes allocated per call (all batches).</summary>
    public static async Task<(double MicrosPerOp, double BytesPerOp)> MeasureAsync(int iterations, int warmup, Func<int, ValueTask> op)
    {
        for (var i = 0; i < warmup; i++)
        {
            await op(i).ConfigureAwait(false);
        }
        var perBatch = Math.Max(1, iterations / Batches);
        var best = double.MaxValue;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var index = warmup;
        for (var b = 0; b < Batches; b++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < perBatch; i++)
            {
                await op(index++).ConfigureAwait(false);
            }
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalMicroseconds / perBatch);
        }
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return (best, (double)bytes / (perBatch * Batches));
    }
}
