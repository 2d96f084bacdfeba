namespace Smallstep.Pki.Bench.Orchestration;

/// <summary>
/// The command line. Parent: <c>[--out FILE] [--host DLL] [--quick] [--keep]</c>. Child (started by
/// the parent, one process per mode so each has its own RSS): <c>--child MODE --pki DIR --result FILE --host DLL</c>.
/// </summary>
internal sealed record BenchOptions(string? Child, string? Pki, string? Result, string? Host, string? Out, bool Quick, bool Keep)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var known = new[] { "--child", "--pki", "--result", "--host", "--out", "--quick", "--keep" };
        var unknown = args.Where((a, i) => a.StartsWith("--", StringComparison.Ordinal) && !known.Contains(a)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"unknown option {unknown[0]}; usage: Smallstep.Pki.Bench [--out docs/benchmarks.md] [--host Smallstep.Pki.Host.dll] [--quick] [--keep]");
        }
        return new BenchOptions(Value("--child"), Value("--pki"), Value("--result"), Value("--host"), Value("--out"), args.Contains("--quick"), args.Contains("--keep"));
    }
}
