using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Storage.Migration;

namespace Smallstep.Pki.Host.Db;

/// <summary>
/// <c>pki-host db migrate --from CONFIG|ADDRESS --to ADDRESS|CONFIG [--force] [--restart] [--verify-only] [--batch-size N]</c>:
/// copies every table (<see cref="KeyValueMigration"/>), then prints row counts and checksums of both
/// sides. Exit code 1 when they differ. Interrupted (Ctrl+C, a crash), the same command resumes.
/// </summary>
internal static class DbMigrateCommand
{
    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        line.RejectUnknown("from", "to", "force", "restart", "verify-only", "batch-size");
        if (line.Positionals.Count > 1)
        {
            throw new UsageException("db migrate takes --from and --to, no other arguments");
        }
        var from = line.Require("from");
        var to = line.Require("to");
        var options = new MigrationOptions
        {
            BatchSize = DbCommand.BatchSize(line),
            Force = line.Has("force"),
            Restart = line.Has("restart"),
            Progress = p =>
            {
                if (p.TableComplete)
                {
                    Console.Out.WriteLine($"  copied {p.Rows,10:N0}  {p.Table}");
                }
            },
        };

        await using var source = DbStoreSource.Open(from, mustExist: true);
        await using var destination = DbStoreSource.Open(to, mustExist: false);
        var migration = new KeyValueMigration(source.Store, destination.Store);
        IReadOnlyList<TableVerification> verification;
        if (line.Has("verify-only"))
        {
            Console.Out.WriteLine($"verifying {destination.Description} against {source.Description}");
            verification = await migration.VerifyAsync(null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Console.Out.WriteLine($"migrating {source.Description} to {destination.Description}");
            try
            {
                verification = (await migration.RunAsync(options, cancellationToken).ConfigureAwait(false)).Verification;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine("interrupted: run the same command again to continue where it stopped");
                return 1;
            }
        }
        Print(verification);
        if (verification.All(v => v.Matches))
        {
            Console.Out.WriteLine($"verified: {verification.Count} tables, {verification.Sum(v => v.Source.Rows):N0} rows identical on both sides");
            return 0;
        }
        Console.Error.WriteLine($"error: verification failed for {string.Join(", ", verification.Where(v => !v.Matches).Select(v => v.Table))}");
        return 1;
    }

    private static void Print(IReadOnlyList<TableVerification> verification)
    {
        Console.Out.WriteLine($"  {"table",-48} {"source rows",12} {"dest rows",12}  sha256 (source / destination)");
        foreach (var v in verification)
        {
            var destinationSum = v.Destination == TableDigest.Missing ? "(no such table)" : v.Destination.Sha256[..16];
            Console.Out.WriteLine($"  {v.Table,-48} {v.Source.Rows,12:N0} {v.Destination.Rows,12:N0}  {v.Source.Sha256[..16]} / {destinationSum}  {(v.Matches ? "ok" : "MISMATCH")}");
        }
    }
}
