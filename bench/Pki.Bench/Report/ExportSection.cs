using System.Globalization;

namespace Smallstep.Pki.Bench.Report;

/// <summary>One export (or migration) measured by <see cref="Modes.ExportBench"/>.</summary>
/// <param name="Database">Where the rows were read from (SQLite, PostgreSQL, MariaDB).</param>
/// <param name="Format">JSON lines, CSV, or <see cref="MigrationFormat"/>.</param>
/// <param name="Rows">Certificates exported (for a migration: rows copied, all tables).</param>
/// <param name="Seconds">Wall-clock time.</param>
/// <param name="RowsPerSecond">Rows / seconds.</param>
/// <param name="Bytes">Size of the export file.</param>
/// <param name="BaselineRssMiB">RSS just before (after a full GC).</param>
/// <param name="PeakRssMiB">Peak RSS during the run (VmHWM, reset before).</param>
/// <param name="AllocatedMiB">Managed memory allocated during the run (all of it garbage but the last page).</param>
internal sealed record ExportResult(string Database, string Format, long Rows, double Seconds, double RowsPerSecond, long Bytes, double BaselineRssMiB, double PeakRssMiB, double AllocatedMiB)
{
    public const string MigrationFormat = "migrate from SQLite";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Rows,9:N0} rows in {Seconds,6:F1} s = {RowsPerSecond,8:N0} rows/s  output {Bytes / 1048576.0,6:F1} MiB  RSS {BaselineRssMiB:F0} → peak {PeakRssMiB:F0} MiB  allocated {AllocatedMiB:F0} MiB");
}

/// <summary>
/// The "Export throughput" section of docs/benchmarks.md: written by a full run, or alone by
/// <c>--export-only</c>, which replaces just this section of the existing page.
/// </summary>
internal static class ExportSection
{
    public const string Heading = "## Export throughput (`pki-host db export`)";

    public static void Render(IReadOnlyList<ExportResult> results, DateTimeOffset measured, string loadAverage, Action<FormattableString> line)
    {
        if (results.Count == 0)
        {
            return;
        }
        line($"{Heading}");
        line($"");
        var distinct = results.First(r => r.Database == "SQLite").Rows;
        line($"Measured {measured:yyyy-MM-dd HH:mm} UTC. A SQLite database of {distinct:N0} distinct ECDSA P-256 leaves (each with a DNS SAN and an `x509_certs_data` row, every 50th revoked), exported by the code behind `pki-host db export` (`CertificateRecordReader` → `CertificateExport`, no filter) to a file on the same disk, after one untimed export. Every row is read in pages of 1,000 by key, joined with its metadata and revocation rows by walking those tables alongside, decoded (subject, SANs, validity, SHA-256 fingerprint) and written. PostgreSQL/MariaDB rows (when the run had `--postgres`/`--mysql`): the SQLite database is first copied by `KeyValueMigration` (what `pki-host db migrate` runs: insert-if-absent in transactions of 500 rows with the checkpoint, then row counts and SHA-256 checksums of both sides; its rows are those of all tables) into a new database on the local server, then exported from it. *{Modes.ExportBench.RepeatedLabel}*: ten times as many rows, 1,000 certificates stored under that many serials, to see memory at that size (the work per row is the same). RSS is the benchmark process's (server GC, as the host runs; VmHWM reset before each row, after a full GC). Load average when the run started: {loadAverage} (other work on the same {Environment.ProcessorCount} cores slows these figures down).");
        line($"");
        line($"| read from | format | rows | seconds | rows/s | output MiB | RSS before MiB | peak RSS MiB | allocated MiB |");
        line($"|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var output = r.Bytes > 0 ? (r.Bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) : "";
            line($"| {r.Database} | {r.Format} | {r.Rows:N0} | {r.Seconds:F1} | {r.RowsPerSecond:N0} | {output} | {r.BaselineRssMiB:F0} | {r.PeakRssMiB:F0} | {r.AllocatedMiB:N0} |");
        }
        line($"");
        var exports = results.Where(r => r.Database.StartsWith("SQLite", StringComparison.Ordinal) && r.Format == "JSON lines").OrderBy(r => r.Rows).ToList();
        if (exports.Count == 2)
        {
            line($"Memory does not grow with the number of rows: during the export of {exports[0].Rows:N0} the peak RSS rose {Rise(exports[0]):F0} MiB above the level before it, during the export of {exports[1].Rows:N0} (a {exports[1].Bytes / 1048576.0:F0} MiB file) {Rise(exports[1]):F0} MiB. That rise is the garbage collector's working room for short-lived per-row objects (*allocated*), not rows kept: the reader holds one page of 1,000 rows per table.");
            line($"");
        }
    }

    private static double Rise(ExportResult result) => Math.Max(0, result.PeakRssMiB - result.BaselineRssMiB);

    /// <summary>Replaces this section of <paramref name="page"/> (or adds it before "## Analysis", else at the end).</summary>
    public static string Splice(string page, string section)
    {
        var start = page.IndexOf(Heading, StringComparison.Ordinal);
        if (start >= 0)
        {
            var next = page.IndexOf("\n## ", start + Heading.Length, StringComparison.Ordinal);
            return page[..start] + section + (next < 0 ? "" : page[(next + 1)..]);
        }
        var analysis = page.IndexOf("\n## Analysis", StringComparison.Ordinal);
        return analysis < 0 ? page.TrimEnd('\n') + "\n\n" + section : page[..(analysis + 1)] + section + page[(analysis + 1)..];
    }
}
