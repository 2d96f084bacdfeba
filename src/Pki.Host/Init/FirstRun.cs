using System.Security.Cryptography;
using Smallstep.Pki.Host.Serve;

namespace Smallstep.Pki.Host.Init;

/// <summary>
/// First start with nothing configured: create a PKI in STEPPATH with a generated password kept in
/// a 0600 file, so one command gives a working CA on 127.0.0.1:9000.
/// </summary>
internal static class FirstRun
{
    /// <summary>Creates the PKI and returns the password file's path.</summary>
    public static async Task<string> InitializeAsync(TextWriter output)
    {
        var root = StepPath.Root;
        Directory.CreateDirectory(Path.Combine(root, "secrets"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var passwordFile = Path.Combine(root, "secrets", "password");
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        await using (var stream = new FileStream(passwordFile, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteLineAsync(password).ConfigureAwait(false);
        }
        var options = new InitOptions(root, "Smallstep.Pki", ["localhost", "127.0.0.1", "::1"], "127.0.0.1:9000", "admin", password, password);
        var configFile = await PkiWriter.WriteAsync(options).ConfigureAwait(false);
        await output.WriteLineAsync($"No configuration found: created a new PKI at {root}").ConfigureAwait(false);
        await output.WriteLineAsync($"  configuration: {configFile}").ConfigureAwait(false);
        await output.WriteLineAsync($"  password file (keys and the \"admin\" JWK provisioner): {passwordFile}").ConfigureAwait(false);
        return passwordFile;
    }
}
