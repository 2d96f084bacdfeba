using System.Diagnostics;

namespace Smallstep.Pki.Tests;

/// <summary>
/// SoftHSM2 (Debian's softhsm2) with a token directory of its own: one per test process, because
/// the module reads <c>SOFTHSM2_CONF</c> once per <c>C_Initialize</c> and PKCS#11 allows one
/// initialization per process. Each test fixture initializes its own token (a new label) with
/// <c>softhsm2-util</c>. Tests that need it call <see cref="RequireOrIgnore"/>, which ignores the
/// test with the reason when SoftHSM2 is not installed.
/// </summary>
internal sealed class SoftHsm
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";
    public const string UserPin = "1234";
    public const string SoPin = "123456789";

    private static readonly Lazy<SoftHsm?> Shared = new(Create);
    private static int _tokens;

    private SoftHsm(string directory)
    {
        Directory = directory;
    }

    /// <summary>The directory holding softhsm2.conf and the tokens.</summary>
    public string Directory { get; }

    /// <summary>The configuration file (what <c>SOFTHSM2_CONF</c> points at).</summary>
    public string ConfigPath => Path.Combine(Directory, "softhsm2.conf");

    /// <summary>The process-wide SoftHSM2, or the test is ignored naming what is missing.</summary>
    public static SoftHsm RequireOrIgnore()
    {
        if (!File.Exists(ModulePath) || Which("softhsm2-util") is null)
        {
            Assert.Ignore($"SoftHSM2 is not installed ({ModulePath} and softhsm2-util are needed; Debian package softhsm2)");
        }
        return Shared.Value ?? throw new InvalidOperationException("SoftHSM2 set-up failed");
    }

    /// <summary>
    /// A fresh token's label. SoftHSM2 reads its token directory at C_Initialize and not again, so
    /// the tokens are all initialized when the helper is first used (before this process loads the
    /// module) and handed out one per call.
    /// </summary>
    public string NewToken()
    {
        var next = Interlocked.Increment(ref _tokens);
        if (next > PreparedTokens)
        {
            throw new InvalidOperationException($"only {PreparedTokens} SoftHSM2 tokens are prepared per test process; raise SoftHsm.PreparedTokens");
        }
        return TokenLabel(next);
    }

    /// <summary>How many tokens are initialized up front.</summary>
    public const int PreparedTokens = 16;

    private static string TokenLabel(int n) => $"token-{Environment.ProcessId}-{n}";

    /// <summary>The <c>kms.uri</c> for a token.</summary>
    public static string KmsUri(string token, string pin = UserPin) => $"pkcs11:module-path={ModulePath};token={token}?pin-value={pin}";

    /// <summary>Runs a tool with <c>SOFTHSM2_CONF</c> set; fails the test unless it exits 0.</summary>
    public string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["SOFTHSM2_CONF"] = ConfigPath;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{tool} {string.Join(' ', arguments)} failed: {error.Result}");
        return output.Result;
    }

    /// <summary>The full path of a tool on PATH, or null.</summary>
    public static string? Which(string tool) => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, tool))
        .FirstOrDefault(File.Exists);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setenv")]
    private static extern int NativeSetEnv([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string name,
        [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string value, int overwrite);

    private static SoftHsm Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "pki-softhsm-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "tokens"));
        File.WriteAllText(Path.Combine(directory, "softhsm2.conf"),
            $"directories.tokendir = {Path.Combine(directory, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        // Set before this process's first C_Initialize of SoftHSM2; child processes inherit it. .NET
        // keeps its own copy of the environment on Unix, so the native module sees only setenv(3).
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", Path.Combine(directory, "softhsm2.conf"));
        if (!OperatingSystem.IsWindows())
        {
            NativeSetEnv("SOFTHSM2_CONF", Path.Combine(directory, "softhsm2.conf"), 1);
        }
        var hsm = new SoftHsm(directory);
        for (var n = 1; n <= PreparedTokens; n++)
        {
            hsm.Run("softhsm2-util", "--init-token", "--free", "--label", TokenLabel(n), "--pin", UserPin, "--so-pin", SoPin);
        }
        return hsm;
    }
}
