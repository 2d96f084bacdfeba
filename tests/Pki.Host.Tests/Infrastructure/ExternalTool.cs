using System.Diagnostics;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>Runs a real command-line tool (openssl, sqlite3, curl, python3, kill) to completion with a bounded wait.</summary>
internal static class ExternalTool
{
    /// <summary>The exit code and output of a finished command.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="program"/>; <paramref name="stdin"/> is written to its input when given.</summary>
    public static Result Run(string program, IEnumerable<string> arguments, string? stdin = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish in time");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the command and fails the test unless it exits with 0; returns stdout.</summary>
    public static string RunChecked(string program, params string[] arguments)
    {
        var result = Run(program, arguments);
        if (result.ExitCode != 0)
        {
            Assert.Fail($"{program} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        }
        return result.Stdout;
    }

    /// <summary>Ignores the test (with the reason printed) when <paramref name="program"/> is not on this machine.</summary>
    public static void Require(string program, string debianPackage)
    {
        var found = program.Contains('/', StringComparison.Ordinal)
            ? File.Exists(program)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
        if (!found)
        {
            var reason = $"{program} not found (apt-get install -y {debianPackage})";
            TestContext.Out.WriteLine(reason);
            Assert.Ignore(reason);
        }
    }
}
