using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Binary;

/// <summary>
/// <c>pki-host init --password-file F</c> run as a real process: a missing F is created (0600) with
/// a generated password that then opens the keys; an F that cannot be created is one line of error,
/// not the help text.
/// </summary>
public class InitPasswordFileTests
{
    [Test]
    public async Task Init_creates_a_missing_password_file_with_mode_0600_and_the_keys_open_with_it()
    {
        using var work = new TemporaryDirectory();
        var stepPath = Path.Combine(work.Path, "step");
        var passwordFile = Path.Combine(work.Path, "secrets", "ca-password");

        var (exitCode, output) = await HostProcess.RunToExitAsync(stepPath, Init(passwordFile));

        exitCode.Should().Be(0, output);
        File.GetUnixFileMode(passwordFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText(passwordFile).Trim().Should().HaveLength(32, "24 random bytes in base64");
        output.Split('\n').Should().ContainSingle(l => l.Contains(passwordFile, StringComparison.Ordinal))
            .Which.Should().Contain("Generated a password").And.Contain("0600");
        output.Should().NotContain("Usage:");

        // The generated password encrypts the provisioner key: `token` decrypts it.
        var (tokenExit, token) = await HostProcess.RunToExitAsync(stepPath,
            "token", "init.test", "--ca-config", Path.Combine(stepPath, "config", "ca.json"), "--password-file", passwordFile);
        tokenExit.Should().Be(0, token);
        token.Trim().Split('.').Should().HaveCount(3);
    }

    [Test]
    public async Task Init_with_a_password_file_that_cannot_be_created_says_so_in_one_line()
    {
        using var work = new TemporaryDirectory();
        var blocker = Path.Combine(work.Path, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where a folder is needed");
        var passwordFile = Path.Combine(blocker, "password");

        var (exitCode, output) = await HostProcess.RunToExitAsync(Path.Combine(work.Path, "step"), Init(passwordFile));

        exitCode.Should().Be(1, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(output).Which.Should().StartWith($"error: cannot create password file {passwordFile}");
        File.Exists(Path.Combine(work.Path, "step", "config", "ca.json")).Should().BeFalse("nothing is written without a password");
    }

    private static string[] Init(string passwordFile) =>
        ["init", "--name", "Init", "--dns", "127.0.0.1", "--address", "127.0.0.1:0", "--provisioner", "admin", "--password-file", passwordFile];
}
