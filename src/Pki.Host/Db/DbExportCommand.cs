using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Storage.Query;
using Smallstep.Pki.Storage.Query.Export;

namespace Smallstep.Pki.Host.Db;

/// <summary>
/// <c>pki-host db export [CONFIG|ADDRESS] [--format jsonl|csv] [--output FILE] [--pem] [filters]</c>:
/// streams the matching certificates to stdout or a file. Messages go to stderr.
/// </summary>
internal static class DbExportCommand
{
    // Unreadable rows are reported one by one up to this many, then only counted.
    private const int ReportedUnreadable = 10;

    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        line.RejectUnknown([.. CertificateQueryFlags.Names, "format", "output", "pem"]);
        var source = DbCommand.SingleSource(line);
        var format = line.Get("format") switch
        {
            null or "jsonl" => CertificateExportFormat.JsonLines,
            "csv" => CertificateExportFormat.Csv,
            var other => throw new UsageException($"--format must be jsonl or csv, not \"{other}\""),
        };
        var query = CertificateQueryFlags.Read(line);
        var unreadable = 0;
        void Report(UnreadableRow row)
        {
            if (++unreadable <= ReportedUnreadable)
            {
                Console.Error.WriteLine($"warning: skipped unreadable {row.Table} row {row.Key}: {row.Reason}");
            }
        }

        await using var database = DbStoreSource.Open(source, mustExist: true);
        var output = line.Get("output");
        long count;
        await using (var stream = output is null ? Console.OpenStandardOutput() : CreateOutput(output))
        {
            var certificates = new CertificateRecordReader(database.Store, Report).ReadAsync(query, cancellationToken);
            count = await CertificateExport.WriteAsync(certificates, stream, new CertificateExportOptions { Format = format, IncludePem = line.Has("pem") }, cancellationToken).ConfigureAwait(false);
        }
        if (unreadable > ReportedUnreadable)
        {
            Console.Error.WriteLine($"warning: {unreadable} unreadable rows skipped in all");
        }
        Console.Error.WriteLine($"exported {count} certificates from {database.Description}{(output is null ? "" : " to " + output)}");
        return 0;
    }

    private static FileStream CreateOutput(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw Errors.PkiException.BadRequest($"--output {path}: {ex.Message}", ex);
        }
    }
}
