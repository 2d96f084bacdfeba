using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// smallstep's real <c>step</c> CLI (0.15.16, built from Debian's Go sources by <c>scripts/test.sh</c>
/// into <c>artifacts/step-cli/bin/step</c>) with its own scratch <c>STEPPATH</c> (also <c>HOME</c>),
/// bootstrapped against a CA (the in-process host or the host binary) as a step-ca user would: <c>step ca bootstrap --ca-url URL
/// --fingerprint SHA256</c>. Not thread-safe: one instance per test class. Runs are bounded (60 s).
/// </summary>
internal sealed partial class StepCli : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private readonly TemporaryDirectory _directory = new();
    private int _counter;

    private StepCli(string program, Uri caUrl, X509Certificate2 root, string provisionerPassword)
    {
        Program = program;
        CaUrl = caUrl.GetLeftPart(UriPartial.Authority);
        RootFingerprint = Convert.ToHexStringLower(SHA256.HashData(root.RawData));
        PasswordFile = File("provisioner-password.txt", provisionerPassword + "\n");
    }

    /// <summary>The step binary.</summary>
    public string Program { get; }

    /// <summary>This client's STEPPATH.</summary>
    public string StepPath => _directory.Path;

    /// <summary>A file holding the JWK provisioner's password, for <c>--provisioner-password-file</c>.</summary>
    public string PasswordFile { get; }

    /// <summary>The CA URL as <c>step ca bootstrap</c> was given it.</summary>
    public string CaUrl { get; }

    /// <summary>The root's SHA-256 fingerprint in lower-case hex, as <c>--fingerprint</c> takes it.</summary>
    public string RootFingerprint { get; }

    /// <summary>
    /// The step binary: <c>PKI_STEP_CLI</c>, else <c>artifacts/step-cli/bin/step</c> in the repository.
    /// When there is none the test is ignored with the reason (<c>PKI_STEP_CLI_SKIP</c> from the test
    /// script when the build failed).
    /// </summary>
    public static string Locate()
    {
        var program = TryLocate();
        if (program is null)
        {
            var reason = Environment.GetEnvironmentVariable("PKI_STEP_CLI_SKIP") is { Length: > 0 } skip
                ? skip
                : $"the step CLI is not built ({DefaultPath} missing; scripts/test.sh builds it with ../shared/tools/step-cli/build.sh)";
            TestContext.Out.WriteLine(reason);
            Assert.Ignore(reason);
        }
        return program;
    }

    /// <summary>The step binary, or null when there is none.</summary>
    public static string? TryLocate()
    {
        var program = Environment.GetEnvironmentVariable("PKI_STEP_CLI");
        program = string.IsNullOrEmpty(program) ? DefaultPath : program;
        return System.IO.File.Exists(program) ? program : null;
    }

    private static string DefaultPath => Path.Combine(Fixtures.RepositoryRoot, "artifacts", "step-cli", "bin", "step");

    /// <summary>A client of the CA at <paramref name="caUrl"/> with a new, empty STEPPATH (for <c>step ca bootstrap</c> itself).</summary>
    public static StepCli WithoutBootstrap(Uri caUrl, X509Certificate2 root, string provisionerPassword) => new(Locate(), caUrl, root, provisionerPassword);

    /// <summary>A client with a new STEPPATH, bootstrapped against <paramref name="pki"/>.</summary>
    public static StepCli Bootstrap(ServedPki pki) => Bootstrap(pki.BaseAddress, pki.Root, pki.Password);

    /// <summary>A client with a new STEPPATH, bootstrapped against the CA at <paramref name="caUrl"/> whose root is <paramref name="root"/>.</summary>
    public static StepCli Bootstrap(Uri caUrl, X509Certificate2 root, string provisionerPassword)
    {
        var cli = WithoutBootstrap(caUrl, root, provisionerPassword);
        var result = cli.Run("ca", "bootstrap", "--ca-url", cli.CaUrl, "--fingerprint", cli.RootFingerprint);
        result.ShouldSucceed();
        return cli;
    }

    /// <summary>The exit code and output of one step run; <see cref="Stderr"/> has step's ANSI colours removed.</summary>
    public sealed record Result(string Command, int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Fails the test with step's output unless it exited 0.</summary>
        public Result ShouldSucceed()
        {
            ExitCode.Should().Be(0, $"`{Command}` should succeed; it printed:\n{Stderr}{Stdout}");
            return this;
        }

        /// <summary>Fails the test unless step exited 1 (its exit code for every error).</summary>
        public Result ShouldFail()
        {
            ExitCode.Should().Be(1, $"`{Command}` should be refused; it printed:\n{Stderr}{Stdout}");
            return this;
        }
    }

    /// <summary>Variables set for every <see cref="Run"/> after the defaults (e.g. a test's own <c>SSH_AUTH_SOCK</c>).</summary>
    public Dictionary<string, string> ExtraEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs <c>step ARGS</c> in <see cref="StepPath"/> with STEPPATH and HOME set to it, no ssh-agent unless <see cref="ExtraEnvironment"/> names one.</summary>
    public Result Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = StepPath,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["STEPPATH"] = StepPath;
        start.Environment["HOME"] = StepPath;
        start.Environment.Remove("SSH_AUTH_SOCK");
        start.Environment.Remove("STEPDEBUG");
        foreach (var (name, value) in ExtraEnvironment)
        {
            start.Environment[name] = value;
        }
        var command = "step " + string.Join(' ', arguments);
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("cannot start " + Program);
        process.StandardInput.Close(); // no terminal: step must never prompt
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RunTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{command}` did not finish in {RunTimeout.TotalSeconds} s");
        }
        return new Result(command, process.ExitCode, stdout.Result, AnsiEscape().Replace(stderr.Result, ""));
    }

    /// <summary>A new path in the STEPPATH (nothing written), unique per call.</summary>
    public string NewPath(string name) => Path.Combine(StepPath, $"{Interlocked.Increment(ref _counter)}-{name}");

    /// <summary>Writes <paramref name="text"/> to a new file in the STEPPATH and returns its path.</summary>
    public string File(string name, string text)
    {
        var path = NewPath(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The PEM certificates of a file step wrote (leaf first).</summary>
    public static X509Certificate2Collection ReadCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates;
    }

    public void Dispose() => _directory.Dispose();

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
