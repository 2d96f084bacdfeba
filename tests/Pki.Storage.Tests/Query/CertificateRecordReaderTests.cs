using System.Text;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Query;
using Smallstep.Pki.Storage.Sqlite;

namespace Smallstep.Pki.Tests.Storage.Query;

/// <summary>The reader's joins and error handling over a SQLite store with more rows than one scan page.</summary>
public sealed class CertificateRecordReaderTests
{
    private static readonly DateTimeOffset Start = new(2030, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private TempDirectory _directory = null!;
    private SqliteKeyValueStore _store = null!;

    [SetUp]
    public void Open()
    {
        _directory = new TempDirectory();
        _store = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = _directory.File("ca.sqlite"), Tables = StepTables.Authority });
    }

    [TearDown]
    public void Close()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task Metadata_and_revocations_join_to_the_right_rows_across_scan_pages()
    {
        // 2,500 certificates: every 7th revoked, every 5th without a metadata row, serial order != numeric order.
        var der = SelfSignedCertificates.Create("1", "CN=shared", Start, Start.AddDays(1));
        var revocations = new KeyValueRevocationStore(_store);
        for (var i = 1; i <= 2500; i++)
        {
            var serial = (i * 9973).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (i % 5 == 0)
            {
                await _store.SetAsync(StepTables.X509Certs, Encoding.ASCII.GetBytes(serial), der);
            }
            else
            {
                await GeneratedCertificates.StoreAsync(_store, serial, der, provisioner: "p" + i);
            }
            if (i % 7 == 0)
            {
                await revocations.TryRevokeAsync(new RevocationRecord(serial, "", i % 10, "reason " + i, Start, Start, "", false, false));
            }
        }

        var listed = await new CertificateRecordReader(_store).ReadAsync(new CertificateQuery()).ToListAsync();

        listed.Should().HaveCount(2500);
        foreach (var certificate in listed)
        {
            var i = int.Parse(certificate.Serial, System.Globalization.CultureInfo.InvariantCulture) / 9973;
            certificate.Provisioner?.Name.Should().Be(i % 5 == 0 ? null : "p" + i, certificate.Serial);
            certificate.Revoked.Should().Be(i % 7 == 0, certificate.Serial);
            certificate.Revocation?.Reason.Should().Be("reason " + i);
        }
        (await new CertificateRecordReader(_store).ReadAsync(new CertificateQuery { Revoked = true }).CountAsync()).Should().Be(2500 / 7);
    }

    [Test]
    public async Task Unreadable_rows_are_reported_and_skipped_and_a_bad_metadata_row_only_loses_the_provisioner()
    {
        await GeneratedCertificates.StoreAsync(_store, "1", "good-one", Start, Start.AddDays(1));
        await _store.SetAsync(StepTables.X509Certs, "2"u8.ToArray(), new byte[] { 0x30, 0x03, 0x02, 0x01 });
        await GeneratedCertificates.StoreAsync(_store, "3", "good-three", Start, Start.AddDays(1));
        await _store.SetAsync(StepTables.X509CertsData, "3"u8.ToArray(), "{not json"u8.ToArray());
        await _store.SetAsync(StepTables.RevokedX509Certs, "3"u8.ToArray(), "[]"u8.ToArray());
        await _store.SetAsync(StepTables.SshCerts, "4"u8.ToArray(), "garbage"u8.ToArray());
        var reported = new List<UnreadableRow>();

        var listed = await new CertificateRecordReader(_store, reported.Add).ReadAsync(new CertificateQuery()).ToListAsync();

        listed.Select(c => c.Serial).Should().Equal("1", "3");
        listed[1].Provisioner.Should().BeNull();
        listed[1].Revoked.Should().BeTrue("a revocation row exists, even if it cannot be decoded");
        listed[1].Revocation.Should().BeNull();
        reported.Select(r => (r.Table, r.Key)).Should().Equal((StepTables.X509Certs, "2"), (StepTables.SshCerts, "4"));
    }
}
