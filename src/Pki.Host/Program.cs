using Smallstep.Pki.Configuration;
using Smallstep.Pki.Host.Acme;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Host.Db;
using Smallstep.Pki.Host.Init;
using Smallstep.Pki.Host.Serve;
using Smallstep.Pki.Host.Token;

namespace Smallstep.Pki.Host;

/// <summary>Entry point: step-ca's command line (serve by default) plus <c>init</c>, <c>token</c> and <c>db</c>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        try
        {
            var line = CommandLine.Parse(args);
            if (line.Has("help") || line.Command == "help")
            {
                Console.Out.Write(Usage.Text);
                return 0;
            }
            return line.Command switch
            {
                "init" => await InitCommand.RunAsync(line).ConfigureAwait(false),
                "token" => await TokenCommand.RunAsync(line).ConfigureAwait(false),
                "db" => await DbCommand.RunAsync(line).ConfigureAwait(false),
                "acme" => await AcmeEabCommand.RunAsync(line, TimeProvider.System).ConfigureAwait(false),
                "kms" => await Kms.KmsCreateCommand.RunAsync(line).ConfigureAwait(false),
                "version" => Version(),
                _ => await ServeCommand.RunAsync(line).ConfigureAwait(false),
            };
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\n\n{Usage.Text}").ConfigureAwait(false);
            return 2;
        }
        catch (CommandFailedException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Errors.PkiException e)
        {
            // e.g. a wrong key password for `token`, or storage that cannot be opened.
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (CaConfigException e)
        {
            // Configuration problems name the field; no stack trace for operators.
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }
    }

    private static int Version()
    {
        Console.Out.WriteLine($"Smallstep.Pki/{Usage.Version}");
        return 0;
    }
}
