using System.Diagnostics;

namespace Smallstep.Pki.Bench.Measure;

/// <summary>
/// CPU time used over one load level by the CA process and the load generator (user + system, from
/// /proc), and the share of the machine that other processes took meanwhile (from /proc/stat): a
/// benchmark on a shared two-core machine is only as good as that last figure is small.
/// </summary>
internal sealed class CpuWatch
{
    private readonly int _caPid;
    private readonly int? _clientPid;
    private readonly TimeSpan _caStart;
    private readonly TimeSpan _clientStart;
    private readonly (long Busy, long Total) _machineStart;

    private CpuWatch(int caPid, int? clientPid)
    {
        _caPid = caPid;
        _clientPid = clientPid;
        _caStart = Of(caPid);
        _clientStart = clientPid is { } c ? Of(c) : TimeSpan.Zero;
        _machineStart = Machine();
    }

    /// <summary>Starts watching; <paramref name="clientPid"/> is null when the load generator is the CA process.</summary>
    public static CpuWatch Start(int caPid, int? clientPid) => new(caPid, clientPid);

    public CpuReading Stop(TimeSpan elapsed)
    {
        var ca = Of(_caPid) - _caStart;
        TimeSpan? client = _clientPid is { } c ? Of(c) - _clientStart : null;
        var machine = Machine();
        var total = machine.Total - _machineStart.Total;
        var busy = total <= 0 ? 0 : (double)(machine.Busy - _machineStart.Busy) / total;
        var ours = (ca + (client ?? TimeSpan.Zero)).TotalSeconds / (elapsed.TotalSeconds * Environment.ProcessorCount);
        return new CpuReading(ca, client, Math.Max(0, 100 * (busy - ours)));
    }

    private static TimeSpan Of(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }

    // /proc/stat "cpu user nice system idle iowait irq softirq steal ...": busy = all but idle and iowait.
    private static (long Busy, long Total) Machine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            var total = fields.Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }
}

/// <summary>CPU used over a level.</summary>
/// <param name="Ca">The CA process (host, or the in-process benchmark).</param>
/// <param name="Client">The HTTP load generator, when it is a separate process.</param>
/// <param name="OtherPercent">Share of all cores used by other processes meanwhile.</param>
internal sealed record CpuReading(TimeSpan Ca, TimeSpan? Client, double OtherPercent);
