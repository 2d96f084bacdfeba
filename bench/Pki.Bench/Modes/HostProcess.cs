using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Smallstep.Pki.Bench.Modes;

/// <summary>
/// The real host (<c>dotnet Smallstep.Pki.Host.dll CA.json --password-file F</c>) as a child process.
/// Its output goes straight to a log file through <c>/bin/sh -c exec</c>, so the benchmark spends no
/// CPU reading it and the process id is the host's own (for <c>/proc/&lt;pid&gt;/status</c>).
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private const int Sigterm = 15;
    private readonly Process _process;

    private HostProcess(Process process, string logFile)
    {
        _process = process;
        LogFile = logFile;
    }

    public int Pid => _process.Id;

    public string LogFile { get; }

    public bool HasExited => _process.HasExited;

    public static HostProcess Start(string hostDll, string configFile, string passwordFile, string logFile, IReadOnlyDictionary<string, string> environment) =>
        StartCommand(["dotnet", hostDll, configFile, "--password-file", passwordFile], null, logFile, environment);

    /// <summary>Any server command (the host, or step-ca), stdout and stderr to <paramref name="logFile"/>, in <paramref name="workingDirectory"/> when given.</summary>
    public static HostProcess StartCommand(IReadOnlyList<string> command, string? workingDirectory, string logFile, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" >\"$BENCH_HOST_LOG\" 2>&1");
        start.ArgumentList.Add("sh");
        foreach (var arg in command)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["BENCH_HOST_LOG"] = logFile;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return new HostProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start the host"), logFile);
    }

    /// <summary>The last lines of the host's log, for error messages.</summary>
    public string LogTail(int lines = 20)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>SIGTERM (graceful drain, as an operator stops step-ca), then SIGKILL after 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, Sigterm);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
