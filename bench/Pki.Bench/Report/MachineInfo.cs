using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Smallstep.Pki.Bench.Report;

/// <summary>What the figures were measured on.</summary>
internal sealed record MachineInfo(int Processors, string CpuModel, string MemoryTotal, string Kernel, string Runtime, string Sdk, string TempFileSystem, string LoadAverage, string Source)
{
    public static MachineInfo Collect(string tempDirectory, string repository) => new(
        Environment.ProcessorCount,
        ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        ProcField("/proc/meminfo", "MemTotal") is { } kib && long.TryParse(kib.Split(' ')[0], out var k) ? $"{k / 1024.0 / 1024.0:F1} GiB" : "?",
        Read("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        Run("dotnet", "--version") ?? "?",
        Run("stat", "-f", "-c", "%T", tempDirectory) ?? "?",
        Read("/proc/loadavg") is { } load ? string.Join(' ', load.Split(' ').Take(3)) : "?",
        Run("git", "-C", repository, "describe", "--always", "--dirty") ?? "?");

    private static string? ProcField(string file, string name)
    {
        try
        {
            var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? Read(string file)
    {
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? Run(string program, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
