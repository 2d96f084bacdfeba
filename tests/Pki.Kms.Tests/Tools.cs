using System.Diagnostics;

namespace Smallstep.Pki.Tests.Kms;

/// <summary>Runs real command-line tools (openssl, ssh-keygen) as independent peers.</summary>
internal static class Tools
{
    /// <summary>Runs a tool and returns its exit code and output; stdin is closed immediately.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs openssl and fails the test unless it exits 0.</summary>
    public static string OpenSsl(params string[] args) => Ok("openssl", args);

    /// <summary>Runs a tool and fails the test unless it exits 0.</summary>
    public static string Ok(string tool, params string[] args)
    {
        var (code, stdout, stderr) = Run(tool, args);
        code.Should().Be(0, $"{tool} {string.Join(' ', args)} failed: {stderr}");
        return stdout;
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pki-kms-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
