using System.Security.Cryptography;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Retention;
using Smallstep.Pki.Storage.Sqlite;
using Smallstep.Pki.Tests.Storage.Query;

namespace Smallstep.Pki.Tests.Storage.Retention;

/// <summary>What a prune removes and, above all, what it must keep, on a SQLite store.</summary>
public sealed class StorePrunerTests
{
    private TempDirectory _directory = null!;
    private SqliteKeyValueStore _store = null!;

    [SetUp]
    public async Task Fill()
    {
        _directory = new TempDirectory();
        _store = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = _directory.File("ca.sqlite"), Tables = StepTables.Authority });
        await RetentionScenario.FillAsync(_store);
    }

    [TearDown]
    public void Close()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private StorePruner Pruner => new(_store, new ManualClock(RetentionScenario.Now));

    private async Task<bool> ExistsAsync(string table, string key) => await _store.GetAsync(table, RetentionScenario.Key(key)) is not null;

    [TestCase(500)]
    [TestCase(1)]
    public async Task Expired_data_goes_and_everything_a_live_certificate_or_revocation_needs_stays(int batchSize)
    {
        var report = await Pruner.PruneAsync(new PruneOptions { ExpiredBefore = RetentionScenario.Cutoff, BatchSize = batchSize });

        foreach (var (table, key) in RetentionScenario.Removed)
        {
            (await ExistsAsync(table, key)).Should().BeFalse($"{table}/{key} expired");
        }
        foreach (var (table, key) in RetentionScenario.Kept)
        {
            (await ExistsAsync(table, key)).Should().BeTrue($"{table}/{key} must be kept");
        }
        var tokens = await _store.ScanAsync(StepTables.UsedOtt).Select(e => System.Text.Encoding.UTF8.GetString(e.Key)).ToListAsync();
        tokens.Should().BeEquivalentTo(["jti-live", "unreadable", "no-exp", Convert.ToHexStringLower(SHA256.HashData("aws/prod.i-0123456789"u8))],
            "the expired jti, OIDC nonce and whole-token-hash rows go; the AWS trust-on-first-use key outlives its token");
        System.Text.Encoding.UTF8.GetString((await _store.GetAsync("acme_account_orders_index", "A1"u8.ToArray()))!).Should().Be("""["O3"]""");
        report.Removed.Should().BeEquivalentTo(new Dictionary<string, long>
        {
            ["acme_authzs"] = 1, ["acme_certs"] = 1, ["acme_challenges"] = 2, ["acme_orders"] = 2, ["acme_serial_certs_index"] = 1, ["nonces"] = 2,
            ["ssh_certs"] = 1, ["used_ott"] = 3, ["wire_acme_dpop_token"] = 1, ["x509_certs"] = 2, ["x509_certs_data"] = 1,
        });
        report.IndexRowsRewritten.Should().Be(2);
        report.Kept.Should().ContainKey("expired but revoked (x509_certs)").And.ContainKey("expired but revoked (ssh_certs)").And.ContainKey("unreadable x509_certs rows");
    }

    [Test]
    public async Task A_dry_run_counts_the_same_rows_and_changes_nothing()
    {
        var before = await DumpAsync();

        var report = await Pruner.PruneAsync(new PruneOptions { ExpiredBefore = RetentionScenario.Cutoff, DryRun = true });

        (await DumpAsync()).Should().Equal(before);
        report.DryRun.Should().BeTrue();
        report.TotalRemoved.Should().Be(17);
    }

    [Test]
    public async Task Pruning_again_finds_nothing_more()
    {
        await Pruner.PruneAsync(new PruneOptions { ExpiredBefore = RetentionScenario.Cutoff });
        var after = await DumpAsync();

        var second = await Pruner.PruneAsync(new PruneOptions { ExpiredBefore = RetentionScenario.Cutoff });

        second.TotalRemoved.Should().Be(0);
        second.IndexRowsRewritten.Should().Be(0);
        (await DumpAsync()).Should().Equal(after);
    }

    [Test]
    public async Task A_cutoff_less_than_an_hour_ago_is_refused()
    {
        var error = await Pruner.Awaiting(p => p.PruneAsync(new PruneOptions { ExpiredBefore = RetentionScenario.Now.AddMinutes(-59) })).Should().ThrowAsync<PkiException>();
        error.Which.Kind.Should().Be(PkiErrorKind.BadRequest);
        (await Pruner.PruneAsync(new PruneOptions { ExpiredBefore = RetentionScenario.Now.AddHours(-1), DryRun = true })).DryRun.Should().BeTrue();
    }

    [Test]
    public async Task Step_ca_rows_a_day_after_their_expiry()
    {
        await using var store = await StepCaFixtureStore.LoadAsync();
        var now = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

        var report = await new StorePruner(store, new ManualClock(now)).PruneAsync(new PruneOptions { ExpiredBefore = now.AddHours(-1) });

        (await store.ScanAsync(StepTables.X509Certs).Select(e => System.Text.Encoding.ASCII.GetString(e.Key)).ToListAsync())
            .Should().Equal(new[] { "299857102448351568313853470918285571540" }, "only the revoked certificate stays");
        (await store.ScanAsync(StepTables.RevokedX509Certs).CountAsync()).Should().Be(1);
        (await store.ScanAsync(StepTables.UsedOtt).CountAsync()).Should().Be(0, "all eight tokens were jti-keyed and expired two days ago");
        (await store.ScanAsync(StepTables.SshCerts).Select(e => System.Text.Encoding.ASCII.GetString(e.Key)).ToListAsync())
            .Should().Equal(new[] { "5832891044575303911" }, "the 30-day host certificate is still valid; the 16-hour user one is not");
        foreach (var table in (string[])["acme_orders", "acme_authzs", "acme_challenges", "nonces", "acme_certs", "acme_serial_certs_index", "acme_account_orders_index"])
        {
            (await store.ScanAsync(table).CountAsync()).Should().Be(0, table);
        }
        (await store.ScanAsync("acme_accounts").CountAsync()).Should().Be(1, "accounts are never pruned");
        report.Removed["x509_certs"].Should().Be(6);
        report.Removed["x509_certs_data"].Should().Be(5, "the renewed certificate had no metadata row");
    }

    private async Task<List<string>> DumpAsync()
    {
        var rows = new List<string>();
        foreach (var table in await ((IKeyValueStore)_store).ListTablesAsync())
        {
            await foreach (var entry in _store.ScanAsync(table))
            {
                rows.Add($"{table}/{Convert.ToHexString(entry.Key)}={Convert.ToHexString(entry.Value)}");
            }
        }
        return rows;
    }
}
