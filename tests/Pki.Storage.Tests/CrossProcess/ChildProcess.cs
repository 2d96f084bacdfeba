using System.Diagnostics;

namespace Smallstep.Pki.Tests.Storage.CrossProcess;

/// <summary>Starts <see cref="ChildProgram"/> in a new process (the same assembly, run by the dotnet host).</summary>
internal static class ChildProcess
{
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(ChildProgram).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the child process");
    }

    /// <summary>Runs a child to completion and returns its standard output; fails the test on a non-zero exit.</summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        using var child = Start(args);
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await child.WaitForExitAsync(timeout.Token);
        child.ExitCode.Should().Be(0, await error);
        return await output;
    }
}
