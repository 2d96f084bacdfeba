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
        var passwordFile = Path.Combine(root, "secrets", "password");
        var password = await GeneratedPassword.WriteNewFileAsync(passwordFile).ConfigureAwait(false);
        var options = new InitOptions(root, "Smallstep.Pki", ["localhost", "127.0.0.1", "::1"], "127.0.0.1:9000", "admin", password, password);
        var configFile = await PkiWriter.WriteAsync(options).ConfigureAwait(false);
        await output.WriteLineAsync($"No configuration found: created a new PKI at {root}").ConfigureAwait(false);
        await output.WriteLineAsync($"  configuration: {configFile}").ConfigureAwait(false);
        await output.WriteLineAsync($"  password file (keys and the \"admin\" JWK provisioner): {passwordFile}").ConfigureAwait(false);
        return passwordFile;
    }
}
