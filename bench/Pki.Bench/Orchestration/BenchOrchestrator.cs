using System.Diagnostics;
using Smallstep.Pki.Bench.Fixture;
using Smallstep.Pki.Bench.Report;

namespace Smallstep.Pki.Bench.Orchestration;

/// <summary>
/// The parent process: makes the PKI with the host's <c>init</c>, runs each mode in its own child
/// process (so each peak RSS is that mode's own), collects the results and writes the report.
/// </summary>
internal static class BenchOrchestrator
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var repo = FindRepositoryRoot();
        var hostDll = Path.GetFullPath(options.Host ?? Path.Combine(repo, "src", "Pki.Host", "bin", "Release", "net10.0", "Smallstep.Pki.Host.dll"));
        if (!File.Exists(hostDll))
        {
            throw new FileNotFoundException($"host not built: {hostDll} (run: dotnet build src/Pki.Host -c Release)");
        }
        var output = Path.GetFullPath(options.Out ?? Path.Combine(repo, "docs", "benchmarks.md"));
        if (options.Against is { } against)
        {
            return against == "step-ca"
                ? await AgainstStepCa.RunAsync(options, repo, output).ConfigureAwait(false)
                : throw new ArgumentException($"--against {against}: only step-ca is known");
        }
        if (options.ExportOnly)
        {
            return await ExportOnlyRun.RunAsync(options, output).ConfigureAwait(false);
        }
        var work = Directory.CreateTempSubdirectory("pki-bench-").FullName;
        try
        {
            var machine = MachineInfo.Collect(work, repo);
            Console.WriteLine($"PKI and databases in {work}; load average {machine.LoadAverage}");
            var pki = await BenchPki.InitializeAsync(hostDll, Path.Combine(work, "pki")).ConfigureAwait(false);
            var results = new BenchResults();
            var servers = await DatabaseServerInfo.CollectAsync(options).ConfigureAwait(false);
            foreach (var mode in ChildModes.For(options))
            {
                Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {mode}");
                var resultFile = Path.Combine(work, mode + ".json");
                await RunChildAsync(mode, pki.StepPath, resultFile, hostDll, options).ConfigureAwait(false);
                results.Add(BenchResults.Load(resultFile));
            }
            var markdown = MarkdownReport.Render(results, machine, servers, started, clock.Elapsed);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            if (File.Exists(output))
            {
                markdown = AgainstStepCa.KeepSections(await File.ReadAllTextAsync(output).ConfigureAwait(false), markdown);
            }
            await File.WriteAllTextAsync(output, markdown).ConfigureAwait(false);
            Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] wrote {output}");
            Console.WriteLine();
            foreach (var point in Analysis.Points(results, machine))
            {
                Console.WriteLine("- " + point);
            }
            return 0;
        }
        finally
        {
            if (!options.Keep)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task RunChildAsync(string mode, string stepPath, string resultFile, string hostDll, BenchOptions options)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var arg in new[] { typeof(BenchOrchestrator).Assembly.Location, "--child", mode, "--pki", stepPath, "--result", resultFile, "--host", hostDll })
        {
            start.ArgumentList.Add(arg);
        }
        if (options.Quick)
        {
            start.ArgumentList.Add("--quick");
        }
        // DSNs hold passwords: through the environment, not the command line.
        start.Environment[BenchOptions.PostgresVariable] = options.Postgres ?? "";
        start.Environment[BenchOptions.MySqlVariable] = options.MySql ?? "";
        using var child = Process.Start(start) ?? throw new InvalidOperationException("cannot start a child process");
        await child.WaitForExitAsync().ConfigureAwait(false);
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"mode {mode} failed with exit code {child.ExitCode}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Smallstep.Pki.sln")))
            {
                return dir.FullName;
            }
        }
        return Environment.CurrentDirectory;
    }
}
