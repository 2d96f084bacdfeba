using Smallstep.Pki.Bench.Fixture;
using Smallstep.Pki.Bench.Orchestration;

namespace Smallstep.Pki.Bench;

/// <summary>
/// Measures signs/s in-process and <c>POST /1.0/sign</c> requests/s over HTTPS at 1, 8 and 32
/// callers, p50/p99 latency, peak RSS and a per-stage breakdown, and writes docs/benchmarks.md.
/// Run through scripts/bench.sh. Traffic goes to 127.0.0.1 only.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args is ["kms", ..])
        {
            return await Kms.KmsSigningBench.RunAsync(args[1..]).ConfigureAwait(false);
        }
        var options = BenchOptions.Parse(args);
        if (options.Child is null)
        {
            return await BenchOrchestrator.RunAsync(options).ConfigureAwait(false);
        }
        var pki = BenchPki.Open(options.Pki ?? throw new ArgumentException("--child needs --pki"));
        var results = await ChildModes.RunAsync(options.Child, pki, options.Host ?? throw new ArgumentException("--child needs --host"), new BenchPlan(options.Quick ? 10 : 1), options).ConfigureAwait(false);
        results.Save(options.Result ?? throw new ArgumentException("--child needs --result"));
        return 0;
    }
}
