using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smallstep.Pki.Bench.Fixture;
using Smallstep.Pki.Bench.Measure;
using Smallstep.Pki.Bench.Orchestration;
using Smallstep.Pki.Bench.Report;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Migration;
using Smallstep.Pki.Storage.MySql;
using Smallstep.Pki.Storage.Postgres;
using Smallstep.Pki.Storage.Query;
using Smallstep.Pki.Storage.Query.Export;
using Smallstep.Pki.Storage.Sqlite;

namespace Smallstep.Pki.Bench.Modes;

/// <summary>
/// <c>pki-host db export</c>'s engine (<see cref="CertificateRecordReader"/> + <see cref="CertificateExport"/>)
/// over a SQLite database of distinct certificates, as JSON lines and CSV to a file; with
/// <c>--postgres</c>/<c>--mysql</c> the database is first migrated (<see cref="KeyValueMigration"/>, timed too)
/// into a new PostgreSQL/MariaDB database and exported from there.
/// </summary>
internal static class ExportBench
{
    /// <summary>Certificates in a full run.</summary>
    public const int FullRows = 100_000;

    /// <summary>What the memory run's database is called in the report.</summary>
    public const string RepeatedLabel = "SQLite, 1,000 leaves repeated";

    /// <summary>
    /// Exports a database of <paramref name="rows"/> distinct certificates in both formats (after an
    /// untimed warm-up), copies it to each SQL server and exports it from there; then exports ten
    /// times as many rows (1,000 certificates stored under that many serials: the work per row is the
    /// same, only memory is of interest) to show that memory does not grow with the row count.
    /// </summary>
    public static async Task<List<ExportResult>> RunAsync(string workDirectory, BenchOptions options, int rows)
    {
        var results = new List<ExportResult>();
        Directory.CreateDirectory(Path.Combine(workDirectory, "db"));
        await using (var sqlite = await CreateAsync(workDirectory, "export", rows, distinct: true).ConfigureAwait(false))
        {
            Console.WriteLine("  (warm-up)");
            await MeasureExportAsync("SQLite", sqlite, CertificateExportFormat.JsonLines, workDirectory).ConfigureAwait(false);
            results.Add(await MeasureExportAsync("SQLite", sqlite, CertificateExportFormat.JsonLines, workDirectory).ConfigureAwait(false));
            results.Add(await MeasureExportAsync("SQLite", sqlite, CertificateExportFormat.Csv, workDirectory).ConfigureAwait(false));
            foreach (var server in Servers(options))
            {
                var database = server.DbBlock(workDirectory, "export")!["database"]!.GetValue<string>();
                try
                {
                    await using var store = server.DbType == "postgresql" ? (IKeyValueStore)new PostgresKeyValueStore(server.Dsn!, database) : new MySqlKeyValueStore(server.Dsn!, database);
                    results.Add(await MeasureMigrationAsync(server.Label, sqlite, store).ConfigureAwait(false));
                    results.Add(await MeasureExportAsync(server.Label, store, CertificateExportFormat.JsonLines, workDirectory).ConfigureAwait(false));
                }
                finally
                {
                    await server.DropAsync(workDirectory, "export").ConfigureAwait(false);
                }
            }
        }
        await using (var repeated = await CreateAsync(workDirectory, "export-repeated", rows * 10, distinct: false).ConfigureAwait(false))
        {
            results.Add(await MeasureExportAsync(RepeatedLabel, repeated, CertificateExportFormat.JsonLines, workDirectory).ConfigureAwait(false));
        }
        File.Delete(Path.Combine(workDirectory, "db", "export-repeated.sqlite"));
        return results;
    }

    private static async Task<SqliteKeyValueStore> CreateAsync(string workDirectory, string name, int rows, bool distinct)
    {
        var store = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = Path.Combine(workDirectory, "db", name + ".sqlite"), Tables = StepTables.Authority });
        var fill = Stopwatch.StartNew();
        await FillAsync(store, rows, distinct ? rows : 1000).ConfigureAwait(false);
        Console.WriteLine($"  {rows:N0} rows ({(distinct ? "distinct certificates" : "1,000 certificates repeated")}) stored in {fill.Elapsed.TotalSeconds:F0} s");
        return store;
    }

    private static IEnumerable<BenchStorage> Servers(BenchOptions options)
    {
        if (options.Postgres is { } postgres)
        {
            yield return BenchStorage.Postgres(postgres);
        }
        if (options.MySql is { } mysql)
        {
            yield return BenchStorage.MariaDb(mysql);
        }
    }

    // P-256 leaves with a DNS SAN and metadata, as the CA stores them, every 50th revoked: row i holds
    // certificate i % distinct (so with fewer distinct certificates than rows, some are stored under
    // several serials).
    private static async Task FillAsync(IKeyValueStore store, int rows, int distinct)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = X509SignatureGenerator.CreateForECDsa(key);
        var now = DateTimeOffset.UtcNow;
        var made = new byte[Math.Min(rows, distinct)][];
        var batch = new List<KeyValueOperation>(3000);
        for (var i = 0; i < rows; i++)
        {
            var serial = BigInteger.Parse("1" + i.ToString("D19", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
            var der = made[i % made.Length] ??= Leaf(key, signer, i, serial, now);
            var serialKey = Encoding.ASCII.GetBytes(serial.ToString(System.Globalization.CultureInfo.InvariantCulture));
            batch.Add(KeyValueOperation.Set(StepTables.X509Certs, serialKey, der));
            batch.Add(KeyValueOperation.Set(StepTables.X509CertsData, serialKey, """{"provisioner":{"id":"bench:kid","name":"bench","type":"JWK"}}"""u8.ToArray()));
            if (i % 50 == 0)
            {
                batch.Add(KeyValueOperation.Set(StepTables.RevokedX509Certs, serialKey, Encoding.UTF8.GetBytes($$"""{"Serial":"{{serial}}","ProvisionerID":"bench:kid","ReasonCode":1,"Reason":"bench","RevokedAt":"2030-01-01T00:00:00Z","ExpiresAt":"2030-01-01T00:00:00Z","TokenID":"","MTLS":false,"ACME":false}""")));
            }
            if (batch.Count >= 2000)
            {
                await store.ApplyAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
        await store.ApplyAsync(batch).ConfigureAwait(false);
    }

    private static byte[] Leaf(ECDsa key, X509SignatureGenerator signer, int i, BigInteger serial, DateTimeOffset now)
    {
        var request = new CertificateRequest($"CN=host-{i}.bench.internal", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName($"host-{i}.bench.internal");
        request.CertificateExtensions.Add(sans.Build());
        using var certificate = request.Create(request.SubjectName, signer, now.AddDays(-60), now.AddDays(i % 2 == 0 ? 30 : -2), serial.ToByteArray(isBigEndian: true));
        return certificate.RawData;
    }

    private static async Task<ExportResult> MeasureExportAsync(string database, IKeyValueStore store, CertificateExportFormat format, string workDirectory)
    {
        var pid = Environment.ProcessId;
        var path = Path.Combine(workDirectory, "export.out");
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var baseline = ProcessMemory.CurrentRssMiB(pid);
        ProcessMemory.ResetPeak(pid);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        long count;
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.SequentialScan))
        {
            count = await CertificateExport.WriteAsync(new CertificateRecordReader(store).ReadAsync(new CertificateQuery()), file, new CertificateExportOptions { Format = format }).ConfigureAwait(false);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var result = new ExportResult(database, format == CertificateExportFormat.Csv ? "CSV" : "JSON lines", count, seconds, count / seconds, new FileInfo(path).Length,
            baseline, ProcessMemory.PeakRssMiB(pid), (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0);
        File.Delete(path);
        Console.WriteLine($"  export {database,-10} {result.Format,-10} {result}");
        return result;
    }

    private static async Task<ExportResult> MeasureMigrationAsync(string database, IKeyValueStore source, IKeyValueStore destination)
    {
        var pid = Environment.ProcessId;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var baseline = ProcessMemory.CurrentRssMiB(pid);
        ProcessMemory.ResetPeak(pid);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var report = await new KeyValueMigration(source, destination).RunAsync(new MigrationOptions { BatchSize = 500 }).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        if (!report.Verified)
        {
            throw new InvalidOperationException($"migration to {database} did not verify");
        }
        var rows = report.Copies.Sum(c => c.Inserted);
        var result = new ExportResult(database, ExportResult.MigrationFormat, rows, seconds, rows / seconds, 0, baseline, ProcessMemory.PeakRssMiB(pid),
            (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0);
        Console.WriteLine($"  migrate SQLite → {database,-10} {result}");
        return result;
    }
}
