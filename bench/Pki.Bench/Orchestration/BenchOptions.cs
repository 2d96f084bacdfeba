namespace Smallstep.Pki.Bench.Orchestration;

/// <summary>
/// The command line. Parent: <c>[--out FILE] [--host DLL] [--quick] [--keep] [--postgres DSN] [--mysql DSN]</c>.
/// Child (started by the parent, one process per mode so each has its own RSS): <c>--child MODE --pki DIR --result FILE --host DLL</c>.
/// </summary>
/// <remarks>
/// <c>--postgres</c> / <c>--mysql</c> add runs on a PostgreSQL / MariaDB server (DSNs as in ca.json's
/// <c>db.dataSource</c>, e.g. <c>"$PKI_TEST_POSTGRES"</c> from scripts/db-servers.sh); each run uses
/// a new database, dropped afterwards. The parent hands them to its children in the environment
/// (<see cref="PostgresVariable"/>, <see cref="MySqlVariable"/>), not on their command lines, which
/// other users of the machine can read.
/// </remarks>
internal sealed record BenchOptions(string? Child, string? Pki, string? Result, string? Host, string? Out, bool Quick, bool Keep, string? Postgres, string? MySql)
{
    public const string PostgresVariable = "PKI_BENCH_POSTGRES";

    public const string MySqlVariable = "PKI_BENCH_MYSQL";

    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var known = new[] { "--child", "--pki", "--result", "--host", "--out", "--quick", "--keep", "--postgres", "--mysql", "--export-only", "--against", "--step-ca", "--go-client", "--fixture", "--perf", "--rounds", "--servers", "--baseline-host", "--baseline-name", "--variant-env" };
        var unknown = args.Where((a, i) => a.StartsWith("--", StringComparison.Ordinal) && !known.Contains(a)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"unknown option {unknown[0]}; usage: Smallstep.Pki.Bench [--out docs/benchmarks.md] [--host Smallstep.Pki.Host.dll] [--quick] [--keep] [--postgres DSN] [--mysql DSN]");
        }
        return new BenchOptions(Value("--child"), Value("--pki"), Value("--result"), Value("--host"), Value("--out"), args.Contains("--quick"), args.Contains("--keep"),
            NonEmpty(Value("--postgres") ?? Environment.GetEnvironmentVariable(PostgresVariable)),
            NonEmpty(Value("--mysql") ?? Environment.GetEnvironmentVariable(MySqlVariable)))
        {
            ExportOnly = args.Contains("--export-only"),
            Against = Value("--against"),
            StepCa = Value("--step-ca"),
            GoClient = Value("--go-client"),
            Fixture = Value("--fixture"),
            Perf = Value("--perf"),
            Servers = Value("--servers") ?? "both",
            BaselineHost = Value("--baseline-host"),
            BaselineName = Value("--baseline-name"),
            VariantEnvironment = Value("--variant-env"),
            Rounds = Value("--rounds") is { } rounds ? int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture) : null,
        };
    }

    /// <summary><c>--export-only</c>: measure only the export throughput and replace that section of the page (<see cref="ExportOnlyRun"/>).</summary>
    public bool ExportOnly { get; init; }

    /// <summary><c>--against step-ca</c>: the side-by-side run with step-ca 0.19 (<see cref="AgainstStepCa"/>).</summary>
    public string? Against { get; init; }

    /// <summary><c>--step-ca PATH</c>: the step-ca 0.19 binary (default artifacts/step-ca/step-ca).</summary>
    public string? StepCa { get; init; }

    /// <summary><c>--go-client PATH</c>: bench/goclient built (default artifacts/goclient/pki-bench-client).</summary>
    public string? GoClient { get; init; }

    /// <summary><c>--fixture DIR</c>: the step-ca PKI to copy per run (default ../shared/fixtures/step-ca-0.19/pki).</summary>
    public string? Fixture { get; init; }

    /// <summary><c>--perf DIR</c>: record each server with <c>perf record -g</c> during its first Go sign level at 32 callers (files in DIR).</summary>
    public string? Perf { get; init; }

    /// <summary><c>--rounds N</c>: rounds of ours-then-step-ca (default 2, 1 with --quick).</summary>
    public int? Rounds { get; init; }

    /// <summary><c>--servers ours|step-ca|both</c>: which servers an <c>--against</c> run starts (default both; one alone makes no ratio, for profiling).</summary>
    public string Servers { get; init; } = "both";

    /// <summary><c>--baseline-host DLL</c>: a host built from an earlier commit, run in every round before ours, for before/after figures from one run.</summary>
    public string? BaselineHost { get; init; }

    /// <summary><c>--baseline-name TEXT</c>: how the report names the baseline host (e.g. the commit).</summary>
    public string? BaselineName { get; init; }

    /// <summary><c>--variant-env K=V[,K=V]</c>: also run our host with these environment variables (e.g. DOTNET_gcServer=0), as its own server in each round.</summary>
    public string? VariantEnvironment { get; init; }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
