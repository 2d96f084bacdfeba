using System.Globalization;
using System.Diagnostics;

namespace Smallstep.Pki.Bench.Measure;

/// <summary>
/// CPU time used over one load level by the CA process, the load generator and, for runs on a SQL
/// server on this machine, the server's processes (user + system, from /proc), and the share of the
/// machine that other processes took meanwhile (from /proc/stat): a benchmark on a shared two-core
/// machine is only as good as that last figure is small.
/// </summary>
internal sealed class CpuWatch
{
    private readonly int _caPid;
    private readonly int? _clientPid;
    private readonly TimeSpan _caStart;
    private readonly TimeSpan _clientStart;
    private readonly IReadOnlyList<string> _serverProcesses;
    private readonly Dictionary<int, TimeSpan> _serverStart;
    private readonly (long Busy, long Total) _machineStart;

    private CpuWatch(int caPid, int? clientPid, IReadOnlyList<string> serverProcesses)
    {
        _caPid = caPid;
        _clientPid = clientPid;
        _serverProcesses = serverProcesses;
        _caStart = Of(caPid);
        _clientStart = clientPid is { } c ? Of(c) : TimeSpan.Zero;
        _serverStart = Server(serverProcesses);
        _machineStart = Machine();
    }

    /// <summary>
    /// Starts watching; <paramref name="clientPid"/> is null when the load generator is the CA process;
    /// <paramref name="serverProcesses"/> names the database server's processes (empty: none).
    /// </summary>
    public static CpuWatch Start(int caPid, int? clientPid, IReadOnlyList<string> serverProcesses) => new(caPid, clientPid, serverProcesses);

    public CpuReading Stop(TimeSpan elapsed)
    {
        var ca = Of(_caPid) - _caStart;
        TimeSpan? client = _clientPid is { } c ? Of(c) - _clientStart : null;
        TimeSpan? server = _serverProcesses.Count == 0 ? null
            // A backend started during the level used nothing before it; one that ended is not counted.
            : Server(_serverProcesses).Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Value - _serverStart.GetValueOrDefault(p.Key));
        var machine = Machine();
        var total = machine.Total - _machineStart.Total;
        var busy = total <= 0 ? 0 : (double)(machine.Busy - _machineStart.Busy) / total;
        var ours = (ca + (client ?? TimeSpan.Zero) + (server ?? TimeSpan.Zero)).TotalSeconds / (elapsed.TotalSeconds * Environment.ProcessorCount);
        return new CpuReading(ca, client, Math.Max(0, 100 * (busy - ours))) { Server = server };
    }

    // CPU time per process id of every process whose /proc/PID/stat command name is one of the names
    // (PostgreSQL runs a process per connection). Process.GetProcessesByName does not find PostgreSQL's
    // backends: .NET takes their name from the command line, which they rewrite ("postgres: user db ...").
    private static Dictionary<int, TimeSpan> Server(IReadOnlyList<string> names)
    {
        var times = new Dictionary<int, TimeSpan>();
        if (names.Count == 0)
        {
            return times;
        }
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            try
            {
                // "PID (comm) state ppid ...": utime and stime are fields 14 and 15, in USER_HZ (100 per second on Linux).
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                if (names.Contains(stat[(stat.IndexOf('(') + 1)..close]))
                {
                    var fields = stat[(close + 2)..].Split(' ');
                    times[pid] = TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // The process ended meanwhile, or its stat is not readable.
            }
        }
        return times;
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
/// <param name="OtherPercent">Share of all cores used by other processes meanwhile (the database server not counted).</param>
internal sealed record CpuReading(TimeSpan Ca, TimeSpan? Client, double OtherPercent)
{
    /// <summary>The database server's processes on this machine, when the run uses one.</summary>
    public TimeSpan? Server { get; init; }
}
