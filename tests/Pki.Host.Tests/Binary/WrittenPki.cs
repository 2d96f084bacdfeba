using Smallstep.Pki.Host.Init;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Binary;

/// <summary>A PKI written by <see cref="PkiWriter"/> into a temporary STEPPATH, with its password in a 0600 file, for the host binary to serve.</summary>
internal sealed class WrittenPki : IDisposable
{
    private readonly TemporaryDirectory _directory;

    private WrittenPki(TemporaryDirectory directory, string configPath, string passwordFile)
    {
        _directory = directory;
        ConfigPath = configPath;
        PasswordFile = passwordFile;
    }

    public string StepPath => _directory.Path;

    public string ConfigPath { get; }

    public string PasswordFile { get; }

    public string RootPath => Path.Combine(StepPath, "certs", "root_ca.crt");

    public string IntermediatePath => Path.Combine(StepPath, "certs", "intermediate_ca.crt");

    /// <summary>Writes the PKI listening on <paramref name="address"/> (default: a port chosen by the OS).</summary>
    public static async Task<WrittenPki> CreateAsync(string address = "127.0.0.1:0")
    {
        var directory = new TemporaryDirectory();
        const string password = "binary-test-password";
        var configPath = await PkiWriter.WriteAsync(new InitOptions(directory.Path, "Binary", ["localhost", "127.0.0.1"], address, "binary-admin", password, password));
        var passwordFile = Path.Combine(directory.Path, "password.txt");
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new WrittenPki(directory, configPath, passwordFile);
    }

    /// <summary>Starts <c>pki-host CONFIG --password-file FILE</c>.</summary>
    public HostProcess Serve(string? launcher = null) => HostProcess.StartWith(launcher, StepPath, ConfigPath, "--password-file", PasswordFile);

    public void Dispose() => _directory.Dispose();
}
