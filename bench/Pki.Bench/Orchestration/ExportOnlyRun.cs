using System.Globalization;
using System.Text;
using Smallstep.Pki.Bench.Modes;
using Smallstep.Pki.Bench.Report;

namespace Smallstep.Pki.Bench.Orchestration;

/// <summary>
/// <c>--export-only</c>: runs <see cref="ExportBench"/> alone, in this process, and replaces the export
/// section of the existing page, so the export figures can be refreshed without re-running the
/// signing benchmarks.
/// </summary>
internal static class ExportOnlyRun
{
    public static async Task<int> RunAsync(BenchOptions options, string output)
    {
        var work = Directory.CreateTempSubdirectory("pki-bench-").FullName;
        try
        {
            var started = DateTimeOffset.UtcNow;
            var load = File.Exists("/proc/loadavg") ? string.Join(' ', (await File.ReadAllTextAsync("/proc/loadavg").ConfigureAwait(false)).Split(' ').Take(3)) : "unknown";
            var rows = options.Quick ? ExportBench.FullRows / 10 : ExportBench.FullRows;
            var results = await ExportBench.RunAsync(Path.Combine(work, "export"), options, rows).ConfigureAwait(false);
            var section = new StringBuilder();
            ExportSection.Render(results, started, load, text => section.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n'));
            var page = File.Exists(output) ? await File.ReadAllTextAsync(output).ConfigureAwait(false) : "# Benchmarks\n";
            await File.WriteAllTextAsync(output, ExportSection.Splice(page, section.ToString())).ConfigureAwait(false);
            Console.WriteLine($"wrote the export section of {output}");
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
}
