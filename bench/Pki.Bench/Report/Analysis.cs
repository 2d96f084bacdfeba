using System.Globalization;

namespace Smallstep.Pki.Bench.Report;

/// <summary>
/// The analysis paragraph of the report, computed from the run's own figures so it cannot drift
/// from them (a rerun after a fix rewrites it).
/// </summary>
internal static class Analysis
{
    // Cores kept busy by the CA process during a level.
    private static double Cores(LevelResult level) => level.RequestsPerSecond * level.CpuMsPerRequest / 1000;

    // "+21 %" / "−18 %": how b's throughput compares with a's.
    private static string Change(LevelResult a, LevelResult b) =>
        string.Create(CultureInfo.InvariantCulture, $"{100 * (b.RequestsPerSecond / a.RequestsPerSecond - 1):+0;−0} %");

    // A comparison between two levels means little when other processes loaded the machine during either.
    private static string Noise(LevelResult a, LevelResult b) =>
        Math.Max(a.OtherCpuPercent, b.OtherCpuPercent) <= 10 ? "" :
        string.Create(CultureInfo.InvariantCulture, $" (Other processes took {a.OtherCpuPercent:F0} % and {b.OtherCpuPercent:F0} % of the machine during these two levels, so this comparison is unreliable.)");

    public static IEnumerable<string> Points(BenchResults results, MachineInfo machine)
    {
        var stages = results.Stages.ToDictionary(s => s.Stage, s => s.MicrosPerOp);
        LevelResult? At(string mode, int callers) => results.Modes.FirstOrDefault(m => m.Name == mode)?.Levels.FirstOrDefault(l => l.Concurrency == callers);
        string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

        if (stages.TryGetValue(ResultNames.WholeMemory, out var whole))
        {
            var parts = ResultNames.InProcessParts.Where(stages.ContainsKey).Select(name => (Name: name, Micros: stages[name])).OrderByDescending(p => p.Micros).ToArray();
            var sum = parts.Sum(p => p.Micros);
            var top = string.Join("; ", parts.Take(3).Select(p => F($"{p.Name} {p.Micros:F0} µs ({100 * p.Micros / whole:F0} %)")));
            yield return F($"**CPU per sign.** One in-process `SignAsync` (memory store) takes {whole:F0} µs on one thread, a ceiling of about {machine.Processors * 1e6 / whole:N0} signs/s on {machine.Processors} cores if nothing else ran. The stages timed alone add up to {sum:F0} µs; the largest are {top}.") + (sum < whole
                ? F($" The remaining {whole - sum:F0} µs are the glue between stages (allocations, async state machines) and the cache effects of running the stages together.")
                : " The parts add up to more than the whole, so some stage timings were inflated by other processes.");
        }

        var sqlite32 = At(ResultNames.InProcessSqlite, 32);
        var memory32 = At(ResultNames.InProcessMemory, 32);
        var store32 = At(ResultNames.StoreOnly, 32);
        if (sqlite32 is not null && memory32 is not null)
        {
            var loss = 100 * (1 - sqlite32.RequestsPerSecond / memory32.RequestsPerSecond);
            var storeText = store32 is null ? "" : F($" The two writes alone (no crypto) reach {store32.RequestsPerSecond:N0} req/s at 32 callers through group commit (p99 {store32.P99Ms:F1} ms).");
            var bottleneck = store32 is not null && store32.RequestsPerSecond < 2 * sqlite32.RequestsPerSecond || loss > 20;
            yield return F($"**SQLite group commit.** At 32 callers in-process, SQLite gives {sqlite32.RequestsPerSecond:N0} signs/s against {memory32.RequestsPerSecond:N0} with the memory store ({Change(memory32, sqlite32)}).{storeText} ") +
                (bottleneck ? "So durable storage is a real limit at this load." : "So SQLite is not the bottleneck at 32 callers: group commit amortises the fsyncs, and the CPU work of signing is what saturates the cores.") +
                F($" With SQLite the process kept {Cores(sqlite32):F2} of {machine.Processors} cores busy (memory store: {Cores(memory32):F2}); ") +
                (Cores(sqlite32) < 0.85 * machine.Processors
                    ? "the rest of the time requests waited for commits, not for CPU: each sign waits for two commits in turn, and the single writer thread has to win a core from the signing threads before it can commit."
                    : "the cores were saturated either way.") +
                Noise(sqlite32, memory32);
        }
        var sqlite1 = At(ResultNames.InProcessSqlite, 1);
        var memory1 = At(ResultNames.InProcessMemory, 1);
        if (sqlite1 is not null && memory1 is not null && stages.TryGetValue(ResultNames.ReplaySqlite, out var replay) && stages.TryGetValue(ResultNames.CertificateSqlite, out var certificate))
        {
            yield return F($"**One caller.** A lone request waits for two commits in turn (token burn, then certificate: {replay / 1000:F2} + {certificate / 1000:F2} ms with fsync), so in-process p50 is {sqlite1.P50Ms:F2} ms with SQLite against {memory1.P50Ms:F2} ms in memory; with one caller there is nothing to group. Burning the token and storing the certificate in one transaction would halve that wait, at the price of signing before the token is known to be unused (a replayed token would then cost a signature before it is refused).");
        }

        foreach (var point in ServerPoints(results, machine, At))
        {
            yield return point;
        }

        var http32 = At(ResultNames.HttpDefault, 32);
        if (http32 is not null && sqlite32 is not null)
        {
            var layer = http32.CpuMsPerRequest - sqlite32.CpuMsPerRequest;
            var client = http32.ClientCpuMsPerRequest ?? 0;
            yield return F($"**HTTP.** At 32 callers the host spends {http32.CpuMsPerRequest:F3} CPU ms per request against {sqlite32.CpuMsPerRequest:F3} ms in-process, so TLS, Kestrel, JSON/PEM, request logging and the second CSR check of the HTTP path cost about {layer:F3} ms ({100 * layer / http32.CpuMsPerRequest:F0} % of the host's CPU){(stages.TryGetValue(ResultNames.CsrParse, out var csr) ? F($", of which the second CSR parse and signature check (`CsrPem.Require` before `SignAsync` parses the same CSR again) is about {csr / 1000:F3} ms") : "")}. During that level the host kept {Cores(http32):F2} cores busy and the load generator {http32.RequestsPerSecond * client / 1000:F2}, of {machine.Processors}. The load generator on the same cores uses {client:F3} ms per request, so the host has at most {100 * http32.CpuMsPerRequest / (http32.CpuMsPerRequest + client):F0} % of the {machine.Processors} cores: a client on another machine would see up to {machine.Processors * 1000 / http32.CpuMsPerRequest:N0} req/s from this host.");
        }
        var noLog32 = At(ResultNames.HttpNoLog, 32);
        if (http32 is not null && noLog32 is not null)
        {
            yield return F($"**Logging.** With the request and issuance log lines turned off the host serves {noLog32.RequestsPerSecond:N0} req/s at 32 callers instead of {http32.RequestsPerSecond:N0} ({Change(http32, noLog32)}), {noLog32.CpuMsPerRequest:F3} against {http32.CpuMsPerRequest:F3} CPU ms per request.") + Noise(http32, noLog32);
        }
        var httpMemory32 = At(ResultNames.HttpMemory, 32);
        if (http32 is not null && httpMemory32 is not null)
        {
            yield return F($"**HTTP with the memory store** serves {httpMemory32.RequestsPerSecond:N0} req/s at 32 callers (SQLite: {http32.RequestsPerSecond:N0}, {Change(http32, httpMemory32)}), p99 {httpMemory32.P99Ms:F1} ms (SQLite: {http32.P99Ms:F1} ms), {httpMemory32.CpuMsPerRequest:F3} against {http32.CpuMsPerRequest:F3} CPU ms per request.") + Noise(http32, httpMemory32);
        }
        if (http32 is not null)
        {
            var host = results.Modes.First(m => m.Name == ResultNames.HttpDefault);
            yield return F($"**Memory.** The host starts at {host.StartupRssMiB:F0} MiB RSS and peaks at {http32.PeakRssMiB:F0} MiB under 32 callers (server GC, as the Web SDK ships it).");
            var met = new List<string>();
            var missed = new List<string>();
            (http32.RequestsPerSecond >= 4000 ? met : missed).Add(F($"{http32.RequestsPerSecond:N0} signs/s (target ≥ 4,000; step-ca 0.19: 1,400)"));
            (http32.P99Ms < 20 ? met : missed).Add(F($"p99 {http32.P99Ms:F1} ms (target < 20; step-ca: ~59)"));
            (http32.PeakRssMiB < 200 ? met : missed).Add(F($"peak RSS {http32.PeakRssMiB:F0} MiB (target < 200; step-ca: 530)"));
            yield return F($"**Latency follows throughput.** With 32 callers in a closed loop the mean latency is 32 ÷ throughput (Little's law): {32000 / http32.RequestsPerSecond:F1} ms at {http32.RequestsPerSecond:N0} req/s, with p99 {http32.P99Ms / http32.P50Ms:F1}× the median. A p99 under 20 ms at 32 callers therefore needs roughly {32000 * http32.P99Ms / http32.P50Ms / 20:N0} req/s at the same spread: the latency target is met by raising throughput, not separately.");
            yield return "**Targets over HTTP at 32 callers.** " + (met.Count > 0 ? "Met: " + string.Join(", ", met) + ". " : "") + (missed.Count > 0 ? "Missed: " + string.Join(", ", missed) + "." : "All met.");
        }
        var noisy = results.Modes.SelectMany(m => m.Levels.Select(l => (Mode: m.Name, Level: l))).Where(x => x.Level.OtherCpuPercent > 10).ToArray();
        if (noisy.Length > 0)
        {
            var worst = noisy.MaxBy(x => x.Level.OtherCpuPercent);
            yield return F($"**Caveat.** Other processes on this shared machine used more than 10 % of the cores during {noisy.Length} level(s), up to {worst.Level.OtherCpuPercent:F0} % ({worst.Mode}, {worst.Level.Concurrency} callers); those figures understate this CA. Machine load average when the run started: {machine.LoadAverage}.");
        }
        foreach (var note in results.StageNotes)
        {
            yield return note;
        }
    }

    // PostgreSQL and MariaDB against SQLite, in-process and over HTTP, for the servers the run used.
    private static IEnumerable<string> ServerPoints(BenchResults results, MachineInfo machine, Func<string, int, LevelResult?> at)
    {
        string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
        foreach (var server in (string[])["PostgreSQL", "MariaDB"])
        {
            var inProcess32 = at(ResultNames.InProcess(server), 32);
            var inProcess1 = at(ResultNames.InProcess(server), 1);
            var http32 = at(ResultNames.Http(server), 32);
            if (inProcess32 is null || inProcess1 is null)
            {
                continue;
            }
            var sqlite32 = at(ResultNames.InProcessSqlite, 32);
            var sqlite1 = at(ResultNames.InProcessSqlite, 1);
            var httpSqlite32 = at(ResultNames.HttpDefault, 32);
            var text = F($"**{server}.** In-process at 32 callers {inProcess32.RequestsPerSecond:N0} signs/s, p99 {inProcess32.P99Ms:F1} ms");
            if (sqlite32 is not null)
            {
                text += F($" (SQLite: {sqlite32.RequestsPerSecond:N0}, {Change(sqlite32, inProcess32)})");
            }
            text += F($"; one caller waits {inProcess1.P50Ms:F2} ms at the median");
            if (sqlite1 is not null)
            {
                text += F($" (SQLite {sqlite1.P50Ms:F2} ms)");
            }
            text += ".";
            if (http32 is not null)
            {
                text += F($" Over HTTP at 32 callers the host serves {http32.RequestsPerSecond:N0} req/s, p99 {http32.P99Ms:F1} ms") +
                    (httpSqlite32 is null ? "." : F($" (SQLite host: {httpSqlite32.RequestsPerSecond:N0}, {Change(httpSqlite32, http32)})."));
            }
            if (inProcess32.ServerCpuMsPerRequest is { } serverCpu)
            {
                text += F($" The server's own processes used {serverCpu:F3} CPU ms per sign at 32 callers in-process, against {inProcess32.CpuMsPerRequest:F3} ms for the CA: on these {machine.Processors} shared cores every millisecond the server spends is taken from signing, so a server on its own machine would leave the CA more.");
            }
            yield return text + Noise(sqlite32 ?? inProcess32, inProcess32);
        }
    }
}
