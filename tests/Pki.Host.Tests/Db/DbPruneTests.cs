using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Db;

/// <summary><c>pki-host db prune</c> through the real binary; rows are counted with Debian's sqlite3.</summary>
public sealed class DbPruneTests
{
    [Test]
    public async Task A_dry_run_changes_nothing_and_the_real_run_removes_exactly_the_expired_unrevoked_certificates()
    {
        using var pki = await DbPki.CreateAsync(200);
        var cutoff = DbPki.Now.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        var (dryExit, dry) = await pki.RunAsync("db", "prune", pki.Pki.ConfigPath, "--expired-before", cutoff, "--dry-run");

        dryExit.Should().Be(0, dry);
        dry.Should().Contain("dry run").And.MatchRegex(@"would remove\s+90\s+x509_certs\b").And.MatchRegex(@"kept\s+10\s+expired but revoked \(x509_certs\)");
        SqliteRows.Count(pki.DatabasePath, "x509_certs").Should().Be(200);

        var (exitCode, text) = await pki.RunAsync("db", "prune", pki.Pki.ConfigPath, "--expired-before", cutoff, "--batch-size", "7");

        exitCode.Should().Be(0, text);
        text.Should().MatchRegex(@"removed\s+90\s+x509_certs\b").And.MatchRegex(@"removed\s+90\s+x509_certs_data\b");
        SqliteRows.Count(pki.DatabasePath, "x509_certs").Should().Be(110);
        SqliteRows.Count(pki.DatabasePath, "x509_certs_data").Should().Be(110);
        SqliteRows.Count(pki.DatabasePath, "revoked_x509_certs").Should().Be(20);
        SqliteRows.HasKey(pki.DatabasePath, "x509_certs", DbPki.Serial(10)).Should().BeTrue("expired but revoked");
        SqliteRows.HasKey(pki.DatabasePath, "x509_certs", DbPki.Serial(1)).Should().BeFalse();
        SqliteRows.HasKey(pki.DatabasePath, "x509_certs", DbPki.Serial(101)).Should().BeTrue("still valid");
    }

    [TestCase(null)]
    [TestCase("tomorrow")]
    [TestCase("in-the-last-hour")]
    public async Task A_missing_malformed_or_too_recent_cutoff_is_a_usage_error(string? cutoff)
    {
        using var pki = await DbPki.CreateAsync(1);
        string[] flag = cutoff switch
        {
            null => [],
            "in-the-last-hour" => ["--expired-before", DateTimeOffset.UtcNow.AddMinutes(-30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)],
            _ => ["--expired-before", cutoff],
        };

        var (exitCode, text) = await pki.RunAsync(["db", "prune", pki.Pki.ConfigPath, .. flag]);

        exitCode.Should().Be(2, text);
        text.Should().Contain("--expired-before");
        SqliteRows.Count(pki.DatabasePath, "x509_certs").Should().Be(1);
    }
}
