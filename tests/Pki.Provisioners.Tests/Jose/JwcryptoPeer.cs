using System.Diagnostics;

namespace Smallstep.Pki.Tests.Jose;

/// <summary>
/// Runs Debian's python3-jwcrypto (the library the fixture tokens were minted with) as an
/// independent JOSE implementation. Uses /usr/bin/python3 (the system interpreter that sees the
/// Debian package), never a pyenv shim. Tests call <see cref="RequireAvailable"/> first, which
/// ignores the test with the reason when the package is missing (apt-get install -y python3-jwcrypto).
/// </summary>
internal static class JwcryptoPeer
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>Marks the test ignored (with the reason printed) when jwcrypto cannot run.</summary>
    public static void RequireAvailable()
    {
        if (Unavailable.Value is { } reason)
        {
            TestContext.Out.WriteLine("python3-jwcrypto unavailable: " + reason);
            Assert.Ignore("python3-jwcrypto unavailable: " + reason);
        }
    }

    /// <summary>Runs a Python script with the given lines as argv[1..] and returns trimmed stdout; fails the test on a non-zero exit.</summary>
    public static string Run(string script, params string[] args)
    {
        var (code, stdout, stderr) = Execute(script, args);
        if (code != 0)
        {
            Assert.Fail($"python3 exited {code}: {stderr}");
        }
        return stdout.Trim();
    }

    private static (int Code, string Stdout, string Stderr) Execute(string script, string[] args)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? Probe()
    {
        if (!File.Exists(Python))
        {
            return Python + " not found";
        }
        try
        {
            var (code, _, stderr) = Execute("import jwcrypto.jws, jwcrypto.jwe, jwcrypto.jwk", []);
            return code == 0 ? null : stderr.Trim();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}
