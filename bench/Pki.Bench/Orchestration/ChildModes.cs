using Smallstep.Pki.Bench.Fixture;
using Smallstep.Pki.Bench.Modes;
using Smallstep.Pki.Bench.Report;

namespace Smallstep.Pki.Bench.Orchestration;

/// <summary>The modes a child process runs; each child measures one thing and writes its results as JSON.</summary>
internal static class ChildModes
{
    private static readonly string[] Always = ["inproc-sqlite", "inproc-memory", "stages", "http", "export"];

    /// <summary>Every mode of a run: the SQL server modes only when their DSN was given.</summary>
    public static IReadOnlyList<string> For(BenchOptions options) =>
    [
        .. Always,
        .. options.Postgres is null ? Array.Empty<string>() : ["inproc-postgres", "http-postgres"],
        .. options.MySql is null ? Array.Empty<string>() : ["inproc-mysql", "http-mysql"],
    ];

    public static async Task<BenchResults> RunAsync(string mode, BenchPki pki, string hostDll, BenchPlan plan, BenchOptions options)
    {
        var results = new BenchResults();
        switch (mode)
        {
            case "inproc-sqlite":
                results.Modes.Add(await InProcessBench.RunAsync(pki, InProcessVariant.Sqlite, plan.ProcessWarmup, plan.InProcess).ConfigureAwait(false));
                break;
            case "inproc-memory":
                results.Modes.Add(await InProcessBench.RunAsync(pki, InProcessVariant.Memory, plan.ProcessWarmup, plan.InProcess).ConfigureAwait(false));
                break;
            case "inproc-postgres" or "inproc-mysql":
                results.Modes.Add(await InProcessBench.RunAsync(pki, InProcessVariant.Server(mode, Server(mode, options)), plan.ProcessWarmup, plan.InProcess).ConfigureAwait(false));
                break;
            case "stages":
                results.Add(await StageBench.RunAsync(pki, plan.StoreOnly).ConfigureAwait(false));
                break;
            case "http":
                results.Modes.Add(await HttpBench.RunAsync(pki, hostDll, HttpVariant.Default, plan.ProcessWarmup, plan.Http).ConfigureAwait(false));
                results.Modes.Add(await HttpBench.RunAsync(pki, hostDll, HttpVariant.NoRequestLog, plan.ProcessWarmup, plan.HttpVariant).ConfigureAwait(false));
                results.Modes.Add(await HttpBench.RunAsync(pki, hostDll, HttpVariant.Memory, plan.ProcessWarmup, plan.HttpVariant).ConfigureAwait(false));
                break;
            case "export":
                // Beside the PKI folder, inside the run's work folder (deleted afterwards).
                results.Exports.AddRange(await ExportBench.RunAsync(Path.Combine(Path.GetDirectoryName(pki.StepPath)!, "export"), options, ExportBench.FullRows / plan.Divisor).ConfigureAwait(false));
                break;
            case "http-postgres" or "http-mysql":
                results.Modes.Add(await HttpBench.RunAsync(pki, hostDll, HttpVariant.Server(mode, Server(mode, options)), plan.ProcessWarmup, plan.Http).ConfigureAwait(false));
                break;
            default:
                throw new ArgumentException($"unknown mode {mode}; expected one of {string.Join(", ", For(options))}");
        }
        return results;
    }

    private static BenchStorage Server(string mode, BenchOptions options) => mode.EndsWith("postgres", StringComparison.Ordinal)
        ? BenchStorage.Postgres(options.Postgres ?? throw new ArgumentException($"{mode} needs --postgres DSN"))
        : BenchStorage.MariaDb(options.MySql ?? throw new ArgumentException($"{mode} needs --mysql DSN"));
}
