using System.Text;
using System.Text.Json;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Storage.Query;
using Smallstep.Pki.Storage.Query.Export;

namespace Smallstep.Pki.Tests.Storage.Query;

/// <summary>CSV and JSON Lines exports, read back by Python's csv and json modules, openssl and ssh-keygen.</summary>
public sealed class CertificateExportTests
{
    // Reads CSV from stdin with Python's csv module (RFC 4180 dialect) and prints the rows as JSON.
    private const string CsvToJson = "import csv, json, sys; print(json.dumps(list(csv.DictReader(sys.stdin))))";

    private static async Task<byte[]> ExportAsync(IKeyValueStore store, CertificateExportOptions options, CertificateQuery? query = null)
    {
        using var output = new MemoryStream();
        var count = await CertificateExport.WriteAsync(new CertificateRecordReader(store).ReadAsync(query ?? new CertificateQuery()), output, options);
        count.Should().BeGreaterThan(0);
        return output.ToArray();
    }

    [Test]
    public async Task CSV_of_step_ca_rows_reads_back_with_pythons_csv_module()
    {
        await using var store = await StepCaFixtureStore.LoadAsync();

        var csv = await ExportAsync(store, new CertificateExportOptions { Format = CertificateExportFormat.Csv });

        Encoding.UTF8.GetString(csv).Should().StartWith("kind,serial,subject,sans,issuer,not_before,not_after,provisioner,provisioner_id,provisioner_type,revoked,revocation_reason_code,revocation_reason,revoked_at,fingerprint,ssh_type\r\n");
        var rows = JsonDocument.Parse(ExternalCommand.Run("python3", csv, "-c", CsvToJson)).RootElement.EnumerateArray().ToList();
        rows.Should().HaveCount(9);
        var revoked = rows.Single(r => r.GetProperty("revoked").GetString() == "true");
        revoked.GetProperty("serial").GetString().Should().Be("299857102448351568313853470918285571540");
        revoked.GetProperty("revocation_reason").GetString().Should().Be("fixture: key compromise test");
        revoked.GetProperty("revocation_reason_code").GetString().Should().Be("1");
        revoked.GetProperty("revoked_at").GetString().Should().Be("2026-11-22T13:34:07Z");
        revoked.GetProperty("issuer").GetString().Should().Be("CN=Fixture Intermediate CA,O=Fixture", "a comma inside a cell is quoted");
        revoked.GetProperty("provisioner_id").GetString().Should().Be("fixture-admin:RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw");
        var user = rows.Single(r => r.GetProperty("ssh_type").GetString() == "user");
        user.GetProperty("subject").GetString().Should().Be("bob@fixture.test");
        user.GetProperty("kind").GetString().Should().Be("ssh");
    }

    [Test]
    public async Task Spreadsheet_formulas_in_names_and_key_IDs_are_neutralised_and_quotes_survive()
    {
        await using var store = new MemoryKeyValueStore(StepTables.Authority);
        var start = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var der = SelfSignedCertificates.Create("77", "CN=\"say \"\"hi\"\", then\"", start, start.AddDays(1), s =>
        {
            s.AddDnsName("@SUM(A1)");
            s.AddDnsName("x.example");
        });
        await GeneratedCertificates.StoreAsync(store, "77", der, provisioner: "-ops");
        using var directory = new TempDirectory();
        ExternalCommand.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.File("ca"));
        ExternalCommand.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.File("user"));
        ExternalCommand.Run("ssh-keygen", "-q", "-s", directory.File("ca"), "-I", "=cmd|' /C calc'!A0", "-n", "+x", "-z", "78", directory.File("user.pub"));
        await store.SetAsync(StepTables.SshCerts, "78"u8.ToArray(), Convert.FromBase64String(File.ReadAllText(directory.File("user-cert.pub")).Split(' ')[1]));

        var csv = await ExportAsync(store, new CertificateExportOptions { Format = CertificateExportFormat.Csv });

        var rows = JsonDocument.Parse(ExternalCommand.Run("python3", csv, "-c", CsvToJson)).RootElement;
        rows[0].GetProperty("subject").GetString().Should().Be("CN=say \\\"hi\\\"\\, then", "RFC 4514 escapes survive CSV quoting");
        rows[0].GetProperty("sans").GetString().Should().Be("'@SUM(A1);x.example");
        rows[0].GetProperty("provisioner").GetString().Should().Be("'-ops");
        rows[1].GetProperty("subject").GetString().Should().Be("'=cmd|' /C calc'!A0");
        rows[1].GetProperty("sans").GetString().Should().Be("'+x");
    }

    [Test]
    public async Task JSON_lines_hold_one_object_per_certificate_and_the_PEM_reads_back_with_openssl_and_ssh_keygen()
    {
        await using var store = await StepCaFixtureStore.LoadAsync();

        var jsonl = await ExportAsync(store, new CertificateExportOptions { Format = CertificateExportFormat.JsonLines, IncludePem = true });

        var lines = Encoding.UTF8.GetString(jsonl).Split('\n');
        lines[^1].Should().BeEmpty("every line, the last included, ends with \\n");
        var objects = lines[..^1].Select(l => JsonDocument.Parse(l).RootElement).ToList();
        objects.Should().HaveCount(9);
        var x509 = objects.First(o => o.GetProperty("kind").GetString() == "x509");
        var serial = ExternalCommand.Run("openssl", Encoding.ASCII.GetBytes(x509.GetProperty("pem").GetString()!), "x509", "-noout", "-serial").Trim();
        System.Numerics.BigInteger.Parse("0" + serial["serial=".Length..], System.Globalization.NumberStyles.HexNumber).ToString().Should().Be(x509.GetProperty("serial").GetString());
        x509.GetProperty("provisioner").GetProperty("type").GetString().Should().NotBeEmpty();
        x509.GetProperty("sans").EnumerateArray().Should().NotBeEmpty();
        var ssh = objects.First(o => o.GetProperty("kind").GetString() == "ssh");
        ssh.GetProperty("provisioner").ValueKind.Should().Be(JsonValueKind.Null);
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("c-cert.pub"), ssh.GetProperty("pem").GetString() + "\n");
        ExternalCommand.Run("ssh-keygen", "-L", "-f", directory.File("c-cert.pub")).Should().Contain($"Serial: {ssh.GetProperty("serial").GetString()}");
        objects.Single(o => o.GetProperty("revoked").GetBoolean()).GetProperty("revocation").GetProperty("reasonCode").GetInt32().Should().Be(1);
    }

    [Test]
    public async Task The_caller_s_stream_stays_open_and_an_empty_result_writes_only_the_header()
    {
        await using var store = new MemoryKeyValueStore(StepTables.Authority);
        using var output = new MemoryStream();

        var count = await CertificateExport.WriteAsync(new CertificateRecordReader(store).ReadAsync(new CertificateQuery()), output, new CertificateExportOptions { Format = CertificateExportFormat.Csv, IncludePem = true });

        count.Should().Be(0);
        output.CanWrite.Should().BeTrue();
        Encoding.UTF8.GetString(output.ToArray()).Should().EndWith(",ssh_type,pem\r\n");
    }
}
