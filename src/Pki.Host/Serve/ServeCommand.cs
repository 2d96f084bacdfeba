using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Host.Init;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// <c>pki-host [CONFIG]</c>: loads ca.json, composes the authority and serves the step-ca API over
/// HTTPS until SIGTERM/SIGINT (drains in-flight requests); SIGHUP reloads the provisioners.
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        line.RejectUnknown("password-file", "ssh-host-password-file", "ssh-user-password-file", "pidfile", "quiet", "resolver", "acme-http-port", "acme-tls-port", "acme-allow-loopback");
        var acme = AcmeCommandLine.Read(line);
        var configPath = line.Positionals.FirstOrDefault();
        var passwordFile = line.Get("password-file");
        if (configPath is null)
        {
            configPath = StepPath.DefaultConfigFile;
            if (!File.Exists(configPath))
            {
                passwordFile = await FirstRun.InitializeAsync(Console.Out).ConfigureAwait(false);
            }
        }
        var loaded = new CaConfigLoader().Load(Path.GetFullPath(configPath));
        // SIGHUP is taken over before the server starts: one that arrives while it starts (the banner is
        // already out) is not lost, and is carried out once the server is up.
        CaServer? running = null;
        var pendingReload = 0;
        InheritedSignals.ResetIgnoredHangup();
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP must not stop the process
            if (Volatile.Read(ref running) is { } current)
            {
                _ = current.ReloadAsync();
            }
            else
            {
                Interlocked.Exchange(ref pendingReload, 1);
            }
        });
        await using var server = await CaServer.StartAsync(loaded, new PasswordSource(passwordFile, loaded.Config.Password), CancellationToken.None, acme).ConfigureAwait(false);
        Volatile.Write(ref running, server);
        if (Interlocked.Exchange(ref pendingReload, 0) == 1)
        {
            _ = server.ReloadAsync();
        }
        var pidFile = line.Get("pidfile");
        if (pidFile is not null)
        {
            await File.WriteAllTextAsync(pidFile, Environment.ProcessId + "\n").ConfigureAwait(false);
        }
        try
        {
            await server.WaitForShutdownAsync().ConfigureAwait(false);
        }
        finally
        {
            if (pidFile is not null)
            {
                File.Delete(pidFile);
            }
        }
        return 0;
    }
}
