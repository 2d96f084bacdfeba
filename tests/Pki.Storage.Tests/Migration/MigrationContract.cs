using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Migration;
using Smallstep.Pki.Storage.Query;
using Smallstep.Pki.Storage.Sqlite;
using Smallstep.Pki.Tests.Storage.Authority;
using Smallstep.Pki.Tests.Storage.Query;

namespace Smallstep.Pki.Tests.Storage.Migration;

/// <summary>
/// Migration from a SQLite database holding step-ca 0.19's real rows (all 21 tables, mixed-case
/// names, binary values) plus a 2,600-row table, into each destination backend. Subclass once per
/// destination.
/// </summary>
public abstract class MigrationContract
{
    protected const string BigTable = "big_table";
    private TempDirectory _directory = null!;

    protected SqliteKeyValueStore Source { get; private set; } = null!;

    protected IKeyValueStore Destination { get; private set; } = null!;

    /// <summary>A new, empty destination store.</summary>
    protected abstract IKeyValueStore CreateDestination();

    [SetUp]
    public async Task CreateStores()
    {
        _directory = new TempDirectory();
        Source = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = _directory.File("source.sqlite"), Tables = [.. StepCaFixtureStore.Tables, BigTable] });
        var dump = Fixtures.Bytes("mysql", "stepca.sql");
        foreach (var table in StepCaFixtureStore.Tables)
        {
            await Source.ApplyAsync(MysqlDumpRows.Read(dump, table).Select(r => KeyValueOperation.Set(table, r.Key, r.Value)).ToList());
        }
        await Source.ApplyAsync(Enumerable.Range(0, 2600).Select(i => KeyValueOperation.Set(BigTable, Encoding.ASCII.GetBytes($"k{i:D5}"), Encoding.ASCII.GetBytes($"value {i}"))).ToList());
        Destination = CreateDestination();
    }

    [TearDown]
    public async Task DisposeStores()
    {
        await Destination.DisposeAsync();
        Source.Dispose();
        _directory.Dispose();
    }

    private KeyValueMigration Migration => new(Source, Destination);

    [Test]
    public async Task Every_table_is_copied_and_verified_and_certificates_read_the_same_on_both_sides()
    {
        var report = await Migration.RunAsync(new MigrationOptions { BatchSize = 500 });

        report.Verified.Should().BeTrue();
        report.Verification.Select(v => v.Table).Should().BeEquivalentTo([.. StepCaFixtureStore.Tables, BigTable]);
        report.Verification.Single(v => v.Table == BigTable).Destination.Rows.Should().Be(2600);
        report.Verification.Single(v => v.Table == "acme_keyID_accountID_index").Destination.Rows.Should().Be(1);
        var fixtureRows = StepCaFixtureStore.Manifest.GetProperty("dump").GetProperty("tables_row_counts").EnumerateObject().Sum(p => p.Value.GetInt32());
        report.Copies.Sum(c => c.Inserted).Should().Be(2600 + fixtureRows);
        (await Destination.ListTablesAsync()).Should().Contain(KeyValueMigration.CheckpointTable);
        var before = await new CertificateRecordReader(Source).ReadAsync(new CertificateQuery()).ToListAsync();
        var after = await new CertificateRecordReader(Destination).ReadAsync(new CertificateQuery()).ToListAsync();
        after.Should().BeEquivalentTo(before, o => o.ComparingByMembers<CertificateRecord>().Excluding(c => c.Encoded));
        after.Select(c => Convert.ToHexString(c.Encoded.Span)).Should().Equal(before.Select(c => Convert.ToHexString(c.Encoded.Span)));
    }

    [Test]
    public async Task A_cancelled_migration_resumes_after_its_last_committed_batch_without_copying_a_row_twice()
    {
        using var cancel = new CancellationTokenSource();
        var batches = 0;
        var first = new MigrationOptions { BatchSize = 400, Progress = p => { if (p.Table == BigTable && !p.TableComplete && ++batches == 3) { cancel.Cancel(); } } };

        await Migration.Awaiting(m => m.RunAsync(first, cancel.Token)).Should().ThrowAsync<OperationCanceledException>();
        var partial = await Destination.ScanAsync(BigTable).CountAsync();
        var report = await Migration.RunAsync(new MigrationOptions { BatchSize = 400 });

        partial.Should().Be(1200, "three batches of 400 were committed before the cancellation");
        var big = report.Copies.Single(c => c.Table == BigTable);
        big.Resumed.Should().BeTrue();
        big.Inserted.Should().Be(1400);
        big.AlreadyPresent.Should().Be(0, "the checkpoint was committed with the rows");
        report.Copies.Where(c => string.CompareOrdinal(c.Table, BigTable) < 0).Should().OnlyContain(c => c.AlreadyComplete);
        report.Verified.Should().BeTrue();
    }

    [Test]
    public async Task A_different_value_in_the_destination_stops_the_copy_unless_forced()
    {
        await Destination.CreateTableAsync(BigTable);
        await Destination.SetAsync(BigTable, "k01234"u8.ToArray(), "someone else's"u8.ToArray());
        await Destination.SetAsync(BigTable, "k00007"u8.ToArray(), "value 7"u8.ToArray());

        var error = await Migration.Awaiting(m => m.RunAsync(new MigrationOptions())).Should().ThrowAsync<PkiException>();
        error.Which.Kind.Should().Be(PkiErrorKind.BadRequest);
        error.Which.Message.Should().Contain("\"k01234\"").And.Contain(BigTable);
        (await Destination.GetAsync(BigTable, "k01234"u8.ToArray())).Should().Equal("someone else's"u8.ToArray());

        var report = await Migration.RunAsync(new MigrationOptions { Force = true });

        var big = report.Copies.Single(c => c.Table == BigTable);
        // The first run committed k00000-k00999 (k00007 found equal) and stopped at the batch holding
        // k01234; this run resumes with that batch.
        (big.Overwritten, big.AlreadyPresent, big.Inserted).Should().Be((1L, 0L, 1599L));
        report.Verified.Should().BeTrue();
    }

    [Test]
    public async Task Verification_finds_a_changed_value_and_an_extra_row_and_a_rerun_copies_nothing()
    {
        (await Migration.RunAsync(new MigrationOptions())).Verified.Should().BeTrue();
        await Destination.SetAsync("x509_certs_data", "315778776084481289090839812949840449200"u8.ToArray(), "{}"u8.ToArray());
        await Destination.SetAsync("used_ott", "extra"u8.ToArray(), "token"u8.ToArray());

        var rerun = await Migration.RunAsync(new MigrationOptions());

        rerun.Copies.Should().OnlyContain(c => c.AlreadyComplete);
        rerun.Verified.Should().BeFalse();
        var failed = rerun.Verification.Where(v => !v.Matches).ToDictionary(v => v.Table);
        failed.Keys.Should().BeEquivalentTo(["x509_certs_data", "used_ott"]);
        failed["x509_certs_data"].Destination.Rows.Should().Be(failed["x509_certs_data"].Source.Rows, "same count, different checksum");
        failed["x509_certs_data"].Destination.Sha256.Should().NotBe(failed["x509_certs_data"].Source.Sha256);
        failed["used_ott"].Destination.Rows.Should().Be(9);
        (await Migration.VerifyAsync()).Count(v => !v.Matches).Should().Be(2);
    }
}

/// <summary>SQLite to SQLite.</summary>
[TestFixture]
public sealed class SqliteToSqliteMigrationTests : MigrationContract
{
    private TempDirectory _destination = null!;

    [OneTimeSetUp]
    public void CreateDirectory() => _destination = new TempDirectory();

    [OneTimeTearDown]
    public void DeleteDirectory() => _destination.Dispose();

    protected override IKeyValueStore CreateDestination() => new SqliteKeyValueStore(_destination.File($"{Guid.NewGuid():N}.sqlite"));
}
