using System.Text;
using System.Text.Json;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;

namespace Smallstep.Pki.Tests.Storage.Authority;

/// <summary>
/// Rows written by a real step-ca 0.19 (fixtures mysql/): our readers decode them and our writers
/// produce the same bytes step-ca writes.
/// </summary>
[TestFixture]
public sealed class StepCaRowEncodingTests
{
    private static readonly byte[] Dump = Fixtures.Bytes("mysql", "stepca.sql");
    private static readonly JsonElement Tables = JsonDocument.Parse(Fixtures.Text("mysql", "tables.json")).RootElement;

    private static IReadOnlyList<(byte[] Key, byte[] Value)> Rows(string table)
    {
        var rows = MysqlDumpRows.Read(Dump, table);
        // The dump and tables.json describe the same rows.
        rows.Select(r => Encoding.UTF8.GetString(r.Key)).Should()
            .Equal(Tables.GetProperty(table).EnumerateArray().Select(r => r.GetProperty("key").GetString()));
        return rows;
    }

    [Test]
    public void Every_x509_certs_data_row_decodes_and_re_encodes_byte_identically()
    {
        var rows = Rows(StepTables.X509CertsData);
        rows.Should().HaveCount(6);
        foreach (var (key, value) in rows)
        {
            var metadata = CertificateMetadataJson.Decode(value, Encoding.ASCII.GetString(key));
            var expected = Tables.GetProperty(StepTables.X509CertsData).EnumerateArray()
                .Single(r => r.GetProperty("key").GetString() == Encoding.ASCII.GetString(key)).GetProperty("value_json").GetProperty("provisioner");
            metadata.Provisioner.Should().Be(new ProvisionerReference(
                expected.GetProperty("id").GetString()!, expected.GetProperty("name").GetString()!, expected.GetProperty("type").GetString()!));
            metadata.RegistrationAuthority.Should().BeNull();

            Encoding.UTF8.GetString(CertificateMetadataJson.Encode(metadata)).Should().Be(Encoding.UTF8.GetString(value));
        }
    }

    [Test]
    public async Task The_certificate_store_writes_the_same_rows_as_step_ca()
    {
        await using var store = new MemoryKeyValueStore(StepTables.Authority);
        var certificates = new KeyValueCertificateStore(store);
        var data = Rows(StepTables.X509CertsData).ToDictionary(r => Encoding.ASCII.GetString(r.Key), r => r.Value);
        var ders = Rows(StepTables.X509Certs);

        foreach (var (key, der) in ders.Where(r => data.ContainsKey(Encoding.ASCII.GetString(r.Key))))
        {
            var serial = Encoding.ASCII.GetString(key);
            var metadata = CertificateMetadataJson.Decode(data[serial], serial);
            await certificates.RecordAsync(new StoredCertificate(serial, der, metadata), []);

            (await store.GetAsync(StepTables.X509Certs, key)).Should().Equal(der);
            (await store.GetAsync(StepTables.X509CertsData, key)).Should().Equal(data[serial]);
            (await certificates.GetDerAsync(serial)).Should().Equal(der);
            (await certificates.GetMetadataAsync(serial)).Should().Be(metadata);
        }
    }

    [Test]
    public async Task Every_used_ott_row_is_written_byte_identically_and_only_once()
    {
        await using var store = new MemoryKeyValueStore(StepTables.Authority);
        var replay = new KeyValueTokenReplayStore(store);
        var rows = Rows(StepTables.UsedOtt);
        rows.Should().HaveCount(8);
        foreach (var (key, token) in rows)
        {
            (await replay.TryUseAsync(Encoding.UTF8.GetString(key), Encoding.UTF8.GetString(token))).Should().BeTrue();
            (await replay.TryUseAsync(Encoding.UTF8.GetString(key), "another token")).Should().BeFalse();
            (await store.GetAsync(StepTables.UsedOtt, key)).Should().Equal(token);
        }
    }

    [Test]
    public void The_step_ca_0_19_revocation_row_decodes_field_by_field()
    {
        var (key, value) = Rows(StepTables.RevokedX509Certs).Single();
        var expected = Tables.GetProperty(StepTables.RevokedX509Certs)[0].GetProperty("value_json");

        var record = RevocationRecordJson.Decode(value, Encoding.ASCII.GetString(key));

        record.Serial.Should().Be(expected.GetProperty("Serial").GetString()).And.Be(Encoding.ASCII.GetString(key));
        record.ProvisionerId.Should().Be(expected.GetProperty("ProvisionerID").GetString());
        record.ReasonCode.Should().Be(1);
        record.Reason.Should().Be("fixture: key compromise test");
        // Go wrote nanoseconds (.746526412); .NET keeps 100 ns ticks.
        record.RevokedAt.Should().Be(new DateTimeOffset(2026, 11, 22, 13, 34, 7, TimeSpan.Zero).AddTicks(7_465_264));
        record.ExpiresAt.Should().Be(DateTimeOffset.MinValue, "step-ca 0.19 had no ExpiresAt field; Go reads that as the zero time");
        record.TokenId.Should().Be(expected.GetProperty("TokenID").GetString());
        record.Mtls.Should().BeFalse();
        record.Acme.Should().BeFalse();
    }

    [Test]
    public void The_revocation_row_re_encodes_as_current_step_ca_writes_it()
    {
        var (key, value) = Rows(StepTables.RevokedX509Certs).Single();
        var original = Encoding.UTF8.GetString(value);

        var encoded = Encoding.UTF8.GetString(RevocationRecordJson.Encode(RevocationRecordJson.Decode(value, Encoding.ASCII.GetString(key))));

        // Byte-identical except the two things that cannot survive: current step-ca adds ExpiresAt
        // (db/db.go RevokedCertificateInfo) after RevokedAt, and the last two nanosecond digits are below .NET's tick.
        var expected = original
            .Replace("\"RevokedAt\":\"2026-11-22T13:34:07.746526412Z\",", "\"RevokedAt\":\"2026-11-22T13:34:07.7465264Z\",\"ExpiresAt\":\"0001-01-01T00:00:00Z\",", StringComparison.Ordinal);
        expected.Should().NotBe(original, "the fixture row must contain the RevokedAt it is expected to");
        encoded.Should().Be(expected);
    }

    [Test]
    public void A_revocation_row_in_the_current_format_round_trips_byte_identically()
    {
        const string row = "{\"Serial\":\"299857102448351568313853470918285571540\",\"ProvisionerID\":\"fixture-admin:RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw\","
            + "\"ReasonCode\":1,\"Reason\":\"fixture: key compromise test\",\"RevokedAt\":\"2026-11-22T13:34:07.7465264Z\","
            + "\"ExpiresAt\":\"2026-11-23T13:34:04Z\",\"TokenID\":\"1f4d4b1c9e6802702388d99ad6156867f3682e3d6e73dc5bd3b6d3277ed4a75a\",\"MTLS\":false,\"ACME\":false}";
        var record = RevocationRecordJson.Decode(Encoding.UTF8.GetBytes(row), "299857102448351568313853470918285571540");
        record.ExpiresAt.Should().Be(new DateTimeOffset(2026, 11, 23, 13, 34, 4, TimeSpan.Zero));
        Encoding.UTF8.GetString(RevocationRecordJson.Encode(record)).Should().Be(row);
    }
}
