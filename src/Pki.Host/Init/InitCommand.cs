using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Host.Serve;

namespace Smallstep.Pki.Host.Init;

/// <summary><c>pki-host init</c>: the flags of <c>step ca init</c> that a standalone CA needs.</summary>
internal static class InitCommand
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        line.RejectUnknown("name", "dns", "address", "provisioner", "password-file", "provisioner-password-file", "deployment-type");
        var deployment = line.Get("deployment-type") ?? "standalone";
        if (deployment != "standalone")
        {
            throw new UsageException($"--deployment-type {deployment} is not supported; only standalone");
        }
        var dnsNames = line.GetAll("dns").SelectMany(d => d.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        if (dnsNames.Length == 0)
        {
            throw new UsageException("missing required flag --dns");
        }
        var password = PasswordSource.ReadFile(line.Require("password-file"));
        var provisionerPasswordFile = line.Get("provisioner-password-file");
        var options = new InitOptions(
            StepPath.Root,
            line.Require("name"),
            dnsNames,
            line.Require("address"),
            line.Require("provisioner"),
            password,
            provisionerPasswordFile is null ? password : PasswordSource.ReadFile(provisionerPasswordFile));
        var configFile = await PkiWriter.WriteAsync(options).ConfigureAwait(false);
        Console.Out.WriteLine($"Your PKI is ready to go. Configuration: {configFile}");
        return 0;
    }
}
