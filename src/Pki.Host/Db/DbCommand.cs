using System.Globalization;
using Smallstep.Pki.Host.Cli;

namespace Smallstep.Pki.Host.Db;

/// <summary>
/// <c>pki-host db export|prune|migrate ...</c>: the database tools. Ctrl+C cancels cleanly (a
/// migration then resumes when run again).
/// </summary>
internal static class DbCommand
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        if (line.Positionals.Count == 0)
        {
            throw new UsageException("db needs a command: export, prune or migrate");
        }
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler interrupt = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += interrupt;
        try
        {
            return line.Positionals[0] switch
            {
                "export" => await DbExportCommand.RunAsync(line, cancel.Token).ConfigureAwait(false),
                "prune" => await DbPruneCommand.RunAsync(line, cancel.Token).ConfigureAwait(false),
                "migrate" => await DbMigrateCommand.RunAsync(line, cancel.Token).ConfigureAwait(false),
                var other => throw new UsageException($"unknown db command \"{other}\" (expected export, prune or migrate)"),
            };
        }
        finally
        {
            Console.CancelKeyPress -= interrupt;
        }
    }

    /// <summary>The optional CONFIG|ADDRESS argument after the sub-command.</summary>
    public static string? SingleSource(CommandLine line) => line.Positionals.Count switch
    {
        1 => null,
        2 => line.Positionals[1],
        _ => throw new UsageException($"db {line.Positionals[0]} takes at most one CONFIG or database address"),
    };

    /// <summary><c>--batch-size</c>, default 500.</summary>
    public static int BatchSize(CommandLine line) =>
        line.Get("batch-size") is not { } text ? 500
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= 100_000 ? size
        : throw new UsageException("--batch-size must be a number from 1 to 100000");
}
