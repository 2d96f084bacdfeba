using System.Diagnostics;

namespace Smallstep.Pki.Tests.Host.Embedding;

/// <summary>
/// Runs the <c>dotnet</c> CLI as a user would, from a test: without the MSBuild variables that
/// <c>dotnet test</c> puts into this process (they would point a nested build at the outer one's
/// SDK state), without build servers left running, with bounded waits.
/// </summary>
internal static class DotnetCli
{
    private static readonly string[] InheritedMsBuildVariables =
        ["MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_HOST_DEBUG", "DOTNET_HOST_PATH"];

    /// <summary>The exit code and interleaved output of a finished command.</summary>
    public sealed record Result(int ExitCode, string Output);

    /// <summary>The <c>dotnet</c> executable running these tests (the SDK's muxer), else <c>dotnet</c> from PATH.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>
    /// The folder of the .NET installation running these tests, for apphosts (a dotnet tool's
    /// command) to find the runtime as <c>DOTNET_ROOT</c>.
    /// </summary>
    public static string Root
    {
        get
        {
            var muxer = Executable.Contains('/', StringComparison.Ordinal)
                ? Executable
                : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet")).First(File.Exists);
            var resolved = new FileInfo(muxer).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(muxer);
            return Path.GetDirectoryName(resolved)!;
        }
    }

    /// <summary>A start description for <c>dotnet ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> arguments) => StartInfo(Executable, workingDirectory, arguments);

    /// <summary>A start description for <paramref name="program"/> (dotnet, or an app or tool it built) with the CLI's environment.</summary>
    public static ProcessStartInfo StartInfo(string program, string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in InheritedMsBuildVariables)
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        return start;
    }

    /// <summary>Runs <c>dotnet ARGS</c> to completion (killed after <paramref name="timeout"/>).</summary>
    public static Task<Result> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        RunProgramAsync(Executable, workingDirectory, timeout, arguments);

    /// <summary>Runs <paramref name="program"/> (e.g. an installed tool's command) to completion, killed after <paramref name="timeout"/>.</summary>
    public static async Task<Result> RunProgramAsync(string program, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        using var process = new Process { StartInfo = StartInfo(program, workingDirectory, arguments) };
        process.StartInfo.Environment["DOTNET_ROOT"] = Root;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {timeout}:\n{Text(output)}");
        }
        return new Result(process.ExitCode, Text(output));
    }

    /// <summary>Runs <c>dotnet ARGS</c> and fails the test unless it exits with 0; returns its output.</summary>
    public static async Task<string> RunCheckedAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var result = await RunAsync(workingDirectory, timeout, arguments);
        if (result.ExitCode != 0)
        {
            Assert.Fail($"dotnet {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Output}");
        }
        return result.Output;
    }

    private static void Append(System.Text.StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(System.Text.StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
