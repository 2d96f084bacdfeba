using System.Diagnostics;
using System.Text.RegularExpressions;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Binary;

/// <summary>
/// The real host binary (<c>dotnet Smallstep.Pki.Host.dll</c>, copied next to the test assembly by
/// the project reference) as a child process, with its stdout and stderr captured line by line.
/// Waits are bounded and event-driven (a line appears, or the process exits).
/// </summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private HostProcess(Process process) => _process = process;

    /// <summary>The host's entry assembly beside the tests.</summary>
    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "Smallstep.Pki.Host.dll");

    /// <summary>Everything the process printed (stdout and stderr, interleaved by arrival).</summary>
    public LogCapture Output { get; } = new();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet Smallstep.Pki.Host.dll ARGS</c> with <c>STEPPATH</c> (and <c>HOME</c>) set to <paramref name="stepPath"/>.</summary>
    public static HostProcess Start(string stepPath, params string[] arguments) => StartWith(null, stepPath, arguments);

    /// <summary>As <see cref="Start(string, string[])"/>, run by <paramref name="launcher"/> when not null (e.g. <c>nohup</c>, which execs the host in its own process).</summary>
    public static HostProcess StartWith(string? launcher, string stepPath, params string[] arguments)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(launcher ?? dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (launcher is not null)
        {
            start.ArgumentList.Add(dotnet);
        }
        start.ArgumentList.Add(HostDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["STEPPATH"] = stepPath;
        start.Environment["HOME"] = stepPath;
        var host = new HostProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        host._process.OutputDataReceived += (_, e) => host.Capture(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.Capture(e.Data);
        host._process.Start();
        host._process.StandardInput.Close(); // no terminal: the host must never prompt
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Runs the host binary to completion (e.g. <c>token</c>, or a config that must be refused).</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string stepPath, params string[] arguments)
    {
        await using var host = Start(stepPath, arguments);
        var code = await host.WaitForExitAsync();
        return (code, string.Join('\n', host.Output.Lines));
    }

    /// <summary>Waits for "Serving HTTPS on HOST:PORT ..." and returns the bound port.</summary>
    public async Task<int> WaitUntilServingAsync()
    {
        var line = await WaitForLineAsync(l => l.Contains("Serving HTTPS on ", StringComparison.Ordinal));
        return int.Parse(ServingPort().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first output line matching <paramref name="match"/>; fails if the process exits first or after the timeout.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, int mark = 0)
    {
        var line = Output.WaitForLineAsync(mark, match, StartTimeout);
        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(line, exited) == exited && !line.IsCompleted)
        {
            // The pipes may still hold the last lines: let them drain before deciding.
            await _process.WaitForExitAsync();
            var last = Output.Lines.Skip(mark).FirstOrDefault(match);
            Assert.That(last, Is.Not.Null, $"the host exited with {_process.ExitCode} first; output:\n{string.Join('\n', Output.Lines)}");
            return last!;
        }
        return await line;
    }

    /// <summary>Sends a POSIX signal with the real <c>kill</c> command.</summary>
    public void Signal(string name) => ExternalTool.RunChecked("kill", "-" + name, Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Waits (bounded) for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("the host did not exit in time; output:\n" + string.Join('\n', Output.Lines));
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            Output.Write(line + "\n");
        }
    }

    [GeneratedRegex(@"Serving HTTPS on [^ ]*:(\d+) ")]
    private static partial Regex ServingPort();
}
