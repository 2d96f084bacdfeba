using Smallstep.Pki.Bench.Fixture;
using Smallstep.Pki.Bench.Modes;
using Smallstep.Pki.Bench.Report;

namespace Smallstep.Pki.Bench.Orchestration;

/// <summary>The modes a child process runs; each child measures one thing and writes its results as JSON.</summary>
internal static class ChildModes
{
    public static readonly string[] All = ["inproc-sqlite", "inproc-memory", "stages", "http"];

    public static async Task<BenchResults> RunAsync(string mode, BenchPki pki, string hostDll, BenchPlan plan)
    {
        var results = new BenchResults();
        switch (mode)
        {
            case "inproc-sqlite":
                results.Modes.Add(await InProcessBench.RunAsync(pki, sqlite: true, plan.ProcessWarmup, plan.InProcess).ConfigureAwait(false));
                break;
            case "inproc-memory":
                results.Modes.Add(await InProcessBench.RunAsync(pki, sqlite: false, plan.ProcessWarmup, plan.InProcess).ConfigureAwait(false));
                break;
            case "stages":
                results.Add(await StageBench.RunAsync(pki, plan.StoreOnly).ConfigureAwait(false));
                break;
            case "http":
                results.Modes.Add(await HttpBench.RunAsync(pki, hostDll, HttpVariant.Default, plan.ProcessWarmup, plan.Http).ConfigureAwait(false));
                results.Modes.Add(await HttpBench.RunAsync(pki, hostDll, HttpVariant.NoRequestLog, plan.ProcessWarmup, plan.HttpVariant).ConfigureAwait(false));
                results.Modes.Add(await HttpBench.RunAsync(pki, hostDll, HttpVariant.Memory, plan.ProcessWarmup, plan.HttpVariant).ConfigureAwait(false));
                break;
            default:
                throw new ArgumentException($"unknown mode {mode}; expected one of {string.Join(", ", All)}");
        }
        return results;
    }
}
