using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Issuance.Templating;
using Smallstep.Pki.Host.Serve;

namespace Smallstep.Pki.Host.Init;

/// <summary><c>pki-host init</c>: the flags of <c>step ca init</c> that a standalone CA needs.</summary>
internal static class InitCommand
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        line.RejectUnknown("name", "dns", "address", "provisioner", "password-file", "provisioner-password-file", "deployment-type", "root-template", "intermediate-template");
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
            provisionerPasswordFile is null ? password : PasswordSource.ReadFile(provisionerPasswordFile),
            ReadTemplate(line, "root-template"),
            ReadTemplate(line, "intermediate-template"));
        var configFile = await PkiWriter.WriteAsync(options).ConfigureAwait(false);
        Console.Out.WriteLine($"Your PKI is ready to go. Configuration: {configFile}");
        return 0;
    }

    // --root-template / --intermediate-template: X.509 templates for the CA certificates (a longer
    // chain, name constraints, policies), parsed before anything is written.
    private static X509CertificateTemplate? ReadTemplate(CommandLine line, string flag)
    {
        if (line.Get(flag) is not { } path)
        {
            return null;
        }
        try
        {
            return X509CertificateTemplate.Parse(path, File.ReadAllText(path), isCustom: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Templates.TemplateException)
        {
            throw new UsageException($"--{flag}: {e.Message}");
        }
    }
}
