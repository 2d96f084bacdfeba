using System.Diagnostics;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>Runs a real ACME client to completion with its own environment and a bounded wait; fails the test with its output when it exits non-zero.</summary>
internal static class AcmeClientRun
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs the client and returns its exit code and interleaved stdout+stderr.</summary>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan? timeout = null)
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
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var output = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close(); // never prompt
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s:\n{Text(output)}");
        }
        process.WaitForExit(); // drains the output pipes
        return new Result(process.ExitCode, Text(output));
    }

    /// <summary>As <see cref="RunAsync"/>, failing the test (with the client's and the server's output) unless the client exits 0.</summary>
    public static async Task<string> RunCheckedAsync(IAcmeServerUnderTest server, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan? timeout = null)
    {
        var list = arguments.ToList();
        var result = await RunAsync(program, list, environment, workingDirectory, timeout);
        if (result.ExitCode != 0)
        {
            Assert.Fail($"{program} {string.Join(' ', list)} exited {result.ExitCode}:\n{result.Output}\n--- {server.Name} log (tail) ---\n{server.LogTail()}");
        }
        TestContext.Out.WriteLine($"$ {program} {string.Join(' ', list)}\n{result.Output}");
        return result.Output;
    }

    private static void Append(System.Text.StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.Append(line).Append('\n');
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
