using Smallstep.Pki.Bench.Modes;

namespace Smallstep.Pki.Bench.Orchestration;

/// <summary>
/// How many requests each level sends: sized so the whole run (build excluded) stays well under
/// five minutes on two cores. <c>--quick</c> divides everything by ten for a smoke test.
/// </summary>
internal sealed record BenchPlan(int Divisor)
{
    /// <summary>
    /// Requests sent once per CA process before the first level, at 8 callers, so tiered
    /// compilation has produced optimised code before anything is timed (a host that has just
    /// started runs unoptimised code for its first seconds).
    /// </summary>
    public LoadLevel ProcessWarmup => new(8, Math.Max(100, FullProcessWarmupRequests / Divisor));

    /// <summary>With 3,000 the hosts started for the single-level variants still ran about 10 % more CPU per request than one warmed by the earlier levels.</summary>
    public const int FullProcessWarmupRequests = 10000;

    public IReadOnlyList<LoadLevel> InProcess => Levels((1, 3000), (8, 10000), (32, 20000));

    public IReadOnlyList<LoadLevel> Http => Levels((1, 2000), (8, 8000), (32, 16000));

    public IReadOnlyList<LoadLevel> HttpVariant => Levels((32, 10000));

    public IReadOnlyList<LoadLevel> StoreOnly => Levels((1, 1000), (8, 5000), (32, 20000));

    private LoadLevel[] Levels(params (int Concurrency, int Requests)[] levels) =>
        levels.Select(l => new LoadLevel(l.Concurrency, Math.Max(l.Concurrency * 4, l.Requests / Divisor))).ToArray();
}
