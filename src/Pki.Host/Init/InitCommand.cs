using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Issuance.Templating;
using Smallstep.Pki.Host.Serve;

namespace Smallstep.Pki.Host.Init;

/// <summary>
/// <c>pki-host init</c>: the flags of <c>step ca init</c> that a standalone CA needs. A
/// <c>--password-file</c> that does not exist yet is created (mode 0600) with a generated password.
/// </summary>
internal static class InitCommand
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        line.RejectUnknown("name", "dns", "address", "provisioner", "password-file", "provisioner-password-file", "deployment-type", "root-template", "intermediate-template", "kms", "kms-root", "kms-intermediate", "ssh");
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
        var name = line.Require("name");
        var address = line.Require("address");
        var provisioner = line.Require("provisioner");
        var passwordFile = line.Require("password-file");
        var provisionerPasswordFile = line.Get("provisioner-password-file");
        var provisionerPassword = provisionerPasswordFile is null ? null : PasswordSource.ReadFile(provisionerPasswordFile);
        var rootTemplate = ReadTemplate(line, "root-template");
        var intermediateTemplate = ReadTemplate(line, "intermediate-template");
        if (line.Has("ssh") && line.Get("kms") is not null)
        {
            // The SSH CA keys of --ssh are files; in a key manager they are made with `pki-host kms create` (docs/kms.md).
            throw new UsageException("--ssh with --kms is not supported yet: create the SSH CA keys with `pki-host kms create` and set ssh.hostKey/ssh.userKey (docs/kms.md)");
        }

        // Everything else is checked first, so a mistake leaves no generated password file behind.
        var generated = !File.Exists(passwordFile);
        var password = generated ? await GeneratedPassword.WriteNewFileAsync(passwordFile).ConfigureAwait(false) : PasswordSource.ReadFile(passwordFile);
        var options = new InitOptions(StepPath.Root, name, dnsNames, address, provisioner, password, provisionerPassword ?? password, rootTemplate, intermediateTemplate,
            line.Get("kms"), line.Get("kms-root"), line.Get("kms-intermediate"), Ssh: line.Has("ssh"));
        string configFile;
        try
        {
            configFile = await PkiWriter.WriteAsync(options).ConfigureAwait(false);
        }
        catch when (generated)
        {
            // The password protects nothing yet; a retry generates a new one.
            File.Delete(passwordFile);
            throw;
        }
        if (generated)
        {
            Console.Out.WriteLine($"Generated a password in {Path.GetFullPath(passwordFile)} (mode 0600); it encrypts the CA keys{(provisionerPassword is null ? " and the provisioner key" : string.Empty)}.");
        }
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
