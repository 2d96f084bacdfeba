using System.Security.Cryptography;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Host.Serve;

/// <summary>The start-up lines step-ca prints (URL, roots.pem, root fingerprint, SSH CA keys, warnings, "Serving HTTPS on ...").</summary>
internal static partial class StartupBanner
{
    public static void Write(ILogger logger, CaConfigLoadResult loaded, AuthorityRuntime runtime, IEnumerable<ConfigDiagnostic> diagnostics, ICollection<string> urls)
    {
        var config = loaded.Config;
        var address = ListenAddress.Parse(config.Address);
        var boundPort = urls.Select(u => new Uri(u).Port).FirstOrDefault(address.Port);
        var host = config.DnsNames.FirstOrDefault() ?? "localhost";
        var baseUrl = $"https://{(host.Contains(':') ? $"[{host}]" : host)}:{boundPort}";
        LogLine(logger, $"Starting Smallstep.Pki/{Cli.Usage.Version}");
        LogLine(logger, $"Config file: {loaded.ConfigPath}");
        LogLine(logger, $"The primary server URL is {baseUrl}");
        LogLine(logger, $"Root certificates are available at {baseUrl}/roots.pem");
        foreach (var root in runtime.Authority.Trust.Roots)
        {
            LogLine(logger, $"X.509 Root Fingerprint: {Convert.ToHexStringLower(SHA256.HashData(root.RawData))}");
        }
        // ca/ca.go: the signing keys in authorized_keys form; each is first in its root list.
        var sshRoots = runtime.Ssh.Roots;
        if (config.Ssh is { HostKey.Length: > 0 } && sshRoots.HostKeys.Count > 0)
        {
            LogLine(logger, $"SSH Host CA Key: {sshRoots.HostKeys[0].ToAuthorizedKey()}");
        }
        if (config.Ssh is { UserKey.Length: > 0 } && sshRoots.UserKeys.Count > 0)
        {
            LogLine(logger, $"SSH User CA Key: {sshRoots.UserKeys[0].ToAuthorizedKey()}");
        }
        foreach (var diagnostic in diagnostics.Where(d => d.Severity != ConfigDiagnosticSeverity.Info))
        {
            LogWarning(logger, diagnostic.ToString());
        }
        LogLine(logger, $"Serving HTTPS on {(address.Host.Length == 0 ? "" : address.UrlAuthority("").Split(':')[0])}:{boundPort} ...");
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogLine(ILogger logger, string line);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "{Line}")]
    private static partial void LogWarning(ILogger logger, string line);
}
