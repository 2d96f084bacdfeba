using System.Diagnostics;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// A long-running external program (pebble, named) started for a fixture, with stdout and stderr
/// captured line by line. Readiness is a bounded, event-driven wait for a line; disposal kills the
/// process tree and waits for it.
/// </summary>
internal sealed class BackgroundTool : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private BackgroundTool(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Everything the process printed (stdout and stderr, interleaved by arrival).</summary>
    public LogCapture Output { get; } = new();

    /// <summary>Starts <paramref name="program"/> with <paramref name="environment"/> added to this process's.</summary>
    public static BackgroundTool Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var tool = new BackgroundTool(new Process { StartInfo = start, EnableRaisingEvents = true }, Path.GetFileName(program));
        tool._process.OutputDataReceived += (_, e) => tool.Capture(e.Data);
        tool._process.ErrorDataReceived += (_, e) => tool.Capture(e.Data);
        tool._process.Start();
        tool._process.StandardInput.Close();
        tool._process.BeginOutputReadLine();
        tool._process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>Waits for a line containing <paramref name="text"/>; fails with the output if the process exits first or the wait times out.</summary>
    public async Task WaitForLineAsync(string text)
    {
        var line = Output.WaitForLineAsync(0, l => l.Contains(text, StringComparison.Ordinal), ReadyTimeout);
        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(line, exited) == exited && !line.IsCompleted)
        {
            await _process.WaitForExitAsync();
            if (!Output.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                Assert.Fail($"{Name} exited with {_process.ExitCode} before printing \"{text}\":\n{string.Join('\n', Output.Lines)}");
            }
            return;
        }
        await line; // fails the test with the output after the timeout
    }

    /// <summary>The last <paramref name="count"/> lines of output, for failure messages.</summary>
    public string Tail(int count = 40) => string.Join('\n', Output.Lines.TakeLast(count));

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
}
