using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.MySql;

namespace Smallstep.Pki.Tests.Storage.MySql;

/// <summary>
/// A real step-ca 0.19 MySQL database (fixtures/step-ca-0.19/mysql/stepca.sql) loaded into
/// MariaDB opens as it is and keeps its meaning: its certificates read back byte for byte, its
/// revocation stays revoked, and every token it consumed is refused.
/// </summary>
public sealed partial class StepCaDumpTests
{
    private string _dsn = null!;
    private string _database = null!;
    private JsonElement _manifest;

    [OneTimeSetUp]
    public void LoadDump()
    {
        _dsn = Environment.GetEnvironmentVariable("PKI_TEST_MYSQL") ?? "";
        if (_dsn.Length == 0)
        {
            Assert.Ignore("set PKI_TEST_MYSQL (scripts/db-servers.sh) to run");
        }
        var dsn = DsnParts().Match(_dsn);
        dsn.Success.Should().BeTrue("PKI_TEST_MYSQL is a go-sql-driver DSN");
        _database = "stepca_" + Guid.NewGuid().ToString("N")[..12];
        // The dump holds BLOBs as raw bytes, so it is edited as bytes: line 1 (MariaDB's sandbox
        // comment) is dropped and the database name is made unique per run.
        var dump = Fixtures.Bytes("mysql", "stepca.sql");
        dump = ReplaceAll(dump.AsSpan(Array.IndexOf(dump, (byte)'\n') + 1), "`stepca`"u8, System.Text.Encoding.ASCII.GetBytes($"`{_database}`"));
        var client = Process.Start(new ProcessStartInfo("mariadb", ["--no-defaults", "-h", dsn.Groups["host"].Value, "-P", dsn.Groups["port"].Value,
            "-u", dsn.Groups["user"].Value, "-p" + dsn.Groups["password"].Value])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
        })!;
        client.StandardInput.BaseStream.Write(dump);
        client.StandardInput.Close();
        var errors = client.StandardError.ReadToEnd();
        client.WaitForExit();
        client.ExitCode.Should().Be(0, errors);
        _manifest = JsonDocument.Parse(Fixtures.Text("mysql", "manifest.json")).RootElement.Clone();
    }

    [Test]
    public async Task Certificates_issued_by_step_ca_read_back_byte_for_byte()
    {
        await using var store = await OpenAsync();
        var certificates = new KeyValueCertificateStore(store);
        foreach (var entry in _manifest.GetProperty("x509_certificates").EnumerateArray())
        {
            var file = entry.GetProperty("file").GetString()!.Split(' ')[0];
            using var expected = X509Certificate2.CreateFromPem(Fixtures.Text("mysql", file));
            (await certificates.GetDerAsync(entry.GetProperty("serial_decimal").GetString()!)).Should().Equal(expected.RawData, file);
        }
    }

    [Test]
    public async Task The_revocation_step_ca_recorded_stays_and_cannot_be_repeated()
    {
        await using var store = await OpenAsync();
        var revocations = new KeyValueRevocationStore(store);
        var revoked = _manifest.GetProperty("revoked");
        var serial = revoked.GetProperty("serial_decimal").GetString()!;

        var record = await revocations.GetAsync(serial);

        record.Should().NotBeNull();
        record!.ReasonCode.Should().Be(revoked.GetProperty("reasonCode").GetInt32());
        record.Reason.Should().Be(revoked.GetProperty("reason").GetString());
        (await revocations.TryRevokeAsync(record with { RevokedAt = DateTimeOffset.UtcNow })).Should().BeFalse("step-ca already revoked it");
    }

    [Test]
    public async Task Every_token_step_ca_consumed_is_refused_and_new_ones_are_not()
    {
        await using var store = await OpenAsync();
        var replay = new KeyValueTokenReplayStore(store);
        foreach (var token in _manifest.GetProperty("tokens").EnumerateArray())
        {
            var jti = token.GetProperty("jti").GetString()!;
            (await replay.TryUseAsync(jti, "replayed")).Should().BeFalse(jti);
        }
        (await replay.TryUseAsync(Guid.NewGuid().ToString("N"), "fresh")).Should().BeTrue();
    }

    // Opens the loaded database the way the host does from db.type mysql (tables already exist).
    private async Task<IKeyValueStore> OpenAsync()
    {
        var store = new MySqlKeyValueStore(_dsn, _database);
        foreach (var table in StepTables.Authority)
        {
            await store.CreateTableAsync(table);
        }
        return store;
    }

    private static byte[] ReplaceAll(ReadOnlySpan<byte> input, ReadOnlySpan<byte> find, ReadOnlySpan<byte> replacement)
    {
        var output = new List<byte>(input.Length + 64);
        while (input.IndexOf(find) is var at and >= 0)
        {
            output.AddRange(input[..at]);
            output.AddRange(replacement);
            input = input[(at + find.Length)..];
        }
        output.AddRange(input);
        return [.. output];
    }

    [GeneratedRegex(@"^(?<user>[^:@]+):(?<password>[^@]*)@tcp\((?<host>[^:]+):(?<port>\d+)\)/")]
    private static partial Regex DsnParts();
}
