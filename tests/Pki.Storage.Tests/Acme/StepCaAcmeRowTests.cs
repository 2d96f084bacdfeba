using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Storage.Acme;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Tests.Storage.Authority;

namespace Smallstep.Pki.Tests.Storage.Acme;

/// <summary>The ACME rows step-ca 0.19 wrote to MySQL (fixture dump, exact bytes) read back, and re-encoded byte for byte where step-ca's clock truncated the times.</summary>
public sealed class StepCaAcmeRowTests
{
    private static readonly byte[] Dump = Fixtures.Bytes("mysql", "stepca.sql");

    private static (byte[] Key, byte[] Value) Row(string table) => MysqlDumpRows.Read(Dump, table).Single();

    [TestCase(AcmeTables.Orders)]
    [TestCase(AcmeTables.Authorizations)]
    [TestCase(AcmeTables.Challenges)]
    public void Rows_re_encode_to_step_cas_bytes(string table)
    {
        var rows = MysqlDumpRows.Read(Dump, table);
        rows.Should().NotBeEmpty();
        foreach (var (_, value) in rows)
        {
            byte[] again = table switch
            {
                AcmeTables.Orders => AcmeRowJson.Order(AcmeRowJson.ReadOrder(value)),
                AcmeTables.Authorizations => AcmeRowJson.Authorization(AcmeRowJson.ReadAuthorization(value)),
                _ => AcmeRowJson.Challenge(AcmeRowJson.ReadChallenge(value)),
            };
            Encoding.UTF8.GetString(again).Should().Be(Encoding.UTF8.GetString(value));
        }
    }

    [Test]
    public void An_account_of_step_ca_0_19_re_encodes_as_step_ca_master_marshals_it()
    {
        // 0.19's dbAccount had no locationPrefix/provisionerName; master marshals them empty (no omitempty).
        var value = Encoding.UTF8.GetString(Row(AcmeTables.Accounts).Value);
        var account = AcmeRowJson.ReadAccount(Encoding.UTF8.GetBytes(value));
        account.LocationPrefix.Should().BeEmpty();
        Encoding.UTF8.GetString(AcmeRowJson.Account(account)).Should().Be(
            value.Replace(",\"createdAt\"", ",\"locationPrefix\":\"\",\"provisionerName\":\"\",\"createdAt\"", StringComparison.Ordinal));
    }

    [Test]
    public async Task The_fixture_account_finds_its_key_orders_and_certificate()
    {
        await using var kv = new MemoryKeyValueStore(AcmeTables.TableSet.Tables);
        foreach (var table in AcmeTables.TableSet.Tables)
        {
            foreach (var (key, value) in MysqlDumpRows.Read(Dump, table))
            {
                await kv.SetAsync(table, key, value);
            }
        }
        var store = new KeyValueAcmeStore(kv);

        var account = (await store.GetAccountByKeyThumbprintAsync("3uXFFvk0arj78M2F_Dxw_PBhoCJbNPL0GD_zpHFH0BY"))!.Value;
        account.Status.Should().Be(AcmeStatus.Valid);
        var orders = await store.GetOrderIdsAsync(account.Id);
        orders.Should().Equal("qrBCZVxVOkadVNwXJ8ODrg8Y24TpufyM");
        var order = (await store.GetOrderAsync(orders[0]))!.Value;
        order.Status.Should().Be(AcmeStatus.Valid);
        var certificate = (await store.GetCertificateAsync(order.CertificateId!))!;
        certificate.AccountId.Should().Be(account.Id);
        using var leaf = X509Certificate2.CreateFromPem(certificate.LeafPem);
        var serial = new System.Numerics.BigInteger(leaf.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString();
        (await store.GetCertificateIdBySerialAsync(serial)).Should().Be(certificate.Id);
    }
}
