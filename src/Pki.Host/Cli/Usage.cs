using System.Reflection;

namespace Smallstep.Pki.Host.Cli;

/// <summary>The help text.</summary>
internal static class Usage
{
    public static string Version { get; } =
        typeof(Usage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public const string Text = """
        Usage:
          pki-host [serve] [CONFIG] [--password-file FILE]
              Serve the CA described by CONFIG (default $STEPPATH/config/ca.json; STEPPATH
              defaults to ~/.step). With no CONFIG and no file there, a new PKI is created first
              and served on 127.0.0.1:9000.
          pki-host init --name NAME --dns DNS [--dns DNS2] --address ADDR --provisioner NAME
                        --password-file FILE [--provisioner-password-file FILE]
                        [--deployment-type standalone]
              Write a new PKI (root, intermediate, encrypted keys, config/ca.json,
              config/defaults.json, a JWK provisioner) into $STEPPATH, like `step ca init`.
          pki-host token SUBJECT [--san SAN]... [--provisioner NAME] [--password-file FILE]
                        [--ca-url URL] [--ca-config FILE] [--revoke]
              Print a one-time token for POST /1.0/sign (or /1.0/revoke with --revoke).
          pki-host version

        Environment: STEPPATH, STEPDEBUG=1 (debug logging).

        """;
}
