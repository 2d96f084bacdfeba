using System.Globalization;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Storage.Retention;

namespace Smallstep.Pki.Host.Db;

/// <summary>
/// <c>pki-host db prune [CONFIG|ADDRESS] --expired-before DATE [--dry-run] [--batch-size N]</c>:
/// removes data that expired before DATE (<see cref="StorePruner"/>) and prints what per table.
/// </summary>
internal static class DbPruneCommand
{
    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        line.RejectUnknown("expired-before", "dry-run", "batch-size");
        var source = DbCommand.SingleSource(line);
        var cutoff = DateArgument.Get(line, "expired-before") ?? throw new UsageException("missing required flag --expired-before");
        var latest = DateTimeOffset.UtcNow - StorePruner.MinimumAge;
        if (cutoff > latest)
        {
            throw new UsageException($"--expired-before must be at least an hour in the past (at most {latest:yyyy-MM-ddTHH:mm:ssZ})");
        }
        var options = new PruneOptions { ExpiredBefore = cutoff, DryRun = line.Has("dry-run"), BatchSize = DbCommand.BatchSize(line) };

        await using var database = DbStoreSource.Open(source, mustExist: true);
        var report = await new StorePruner(database.Store).PruneAsync(options, cancellationToken).ConfigureAwait(false);

        var verb = report.DryRun ? "would remove" : "removed";
        Console.Out.WriteLine($"{database.Description}: data expired before {cutoff.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}{(report.DryRun ? " (dry run: nothing removed)" : "")}");
        foreach (var (table, rows) in report.Removed)
        {
            Console.Out.WriteLine($"  {verb,-12} {rows,10:N0}  {table}");
        }
        if (report.IndexRowsRewritten > 0)
        {
            Console.Out.WriteLine($"  {(report.DryRun ? "would fix" : "fixed"),-12} {report.IndexRowsRewritten,10:N0}  acme_account_orders_index rows naming removed orders");
        }
        foreach (var (reason, rows) in report.Kept)
        {
            Console.Out.WriteLine($"  {"kept",-12} {rows,10:N0}  {reason}");
        }
        Console.Out.WriteLine($"  {verb,-12} {report.TotalRemoved,10:N0}  rows in all");
        return 0;
    }
}
