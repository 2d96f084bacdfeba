using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Acme.RealClients;
using Smallstep.Pki.Tests.Host.Binary;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.SqlStorage;

namespace Smallstep.Pki.Tests.Host.Acme.StepCaMigration;

/// <summary>
/// A move from step-ca with live ACME data: real step-ca 0.19 (built by scripts/test.sh from
/// Debian's sources) serves the fixture PKI on a MariaDB database and lego gets a certificate from it
/// (http-01 on port 80: step-ca 0.19 has no port override). Then step-ca stops and our host serves
/// the same ca.json and database: lego, with the account step-ca created, revokes step-ca's
/// certificate and orders a new one.
/// </summary>
public sealed class StepCaAcmeMigrationTests
{
    [Test]
    public async Task An_account_and_certificate_step_ca_made_keep_working_on_our_host()
    {
        var stepCa = Environment.GetEnvironmentVariable("PKI_STEP_CA");
        if (string.IsNullOrEmpty(stepCa) || !File.Exists(stepCa))
        {
            Assert.Ignore(Environment.GetEnvironmentVariable("PKI_STEP_CA_SKIP") ?? "set PKI_STEP_CA to a step-ca 0.19 binary (scripts/test.sh builds one)");
        }
        ExternalTool.Require("lego", "lego");
        var server = DatabaseServer.Require(SqlServerKind.MySql);
        RequirePort80();
        using var directory = new TemporaryDirectory();
        var port = FreePort.Next();
        var database = DatabaseServer.NewDatabaseName();
        var configPath = CopyFixturePki(directory.Path, port, server, database);
        var password = Path.Combine(directory.Path, "password.txt");
        var root = Path.Combine(directory.Path, "certs", "root_ca.crt");
        var lego = new Dictionary<string, string> { ["LEGO_CA_CERTIFICATES"] = root };
        string[] legoBase = ["--server", $"https://127.0.0.1:{port}/acme/acme/directory", "--email", "migrate@fixture.test", "--accept-tos",
            "--path", Path.Combine(directory.Path, "lego"), "-d", "localhost"];
        var leafPath = Path.Combine(directory.Path, "lego", "certificates", "localhost.crt");

        string stepCaSerial;
        await using (var stepCaProcess = BackgroundTool.Start(stepCa, [configPath, "--password-file", password],
            new Dictionary<string, string> { ["STEPPATH"] = directory.Path, ["HOME"] = directory.Path }, directory.Path))
        {
            await stepCaProcess.WaitForLineAsync("Serving HTTPS on");
            var issued = await AcmeClientRun.RunAsync("lego", [.. legoBase, "--http", "--http.port", "127.0.0.1:80", "run"], lego, directory.Path);
            issued.ExitCode.Should().Be(0, issued.Output + "\n--- step-ca ---\n" + stepCaProcess.Tail());
            stepCaSerial = Serial(leafPath);
        }
        (await server.HasKeyAsync(database, "acme_serial_certs_index", stepCaSerial)).Should().BeTrue("step-ca recorded its ACME certificate");

        var challengePort = FreePort.Next();
        await using var host = HostProcess.Start(directory.Path, configPath, "--password-file", password,
            "--acme-http-port", challengePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--acme-allow-loopback");
        await host.WaitUntilServingAsync();

        var revoked = await AcmeClientRun.RunAsync("lego", [.. legoBase, "revoke"], lego, directory.Path);
        revoked.ExitCode.Should().Be(0, revoked.Output + "\n--- host ---\n" + string.Join('\n', host.Output.Lines.TakeLast(30)));
        (await server.HasKeyAsync(database, "revoked_x509_certs", stepCaSerial)).Should().BeTrue("our host revoked step-ca's certificate for step-ca's account");

        var reissued = await AcmeClientRun.RunAsync("lego", [.. legoBase, "--http", "--http.port", $"127.0.0.1:{challengePort}", "run"], lego, directory.Path);
        reissued.ExitCode.Should().Be(0, reissued.Output + "\n--- host ---\n" + string.Join('\n', host.Output.Lines.TakeLast(30)));
        Serial(leafPath).Should().NotBe(stepCaSerial);
        (await server.HasKeyAsync(database, "acme_serial_certs_index", Serial(leafPath))).Should().BeTrue();
    }

    private static string Serial(string pemPath)
    {
        using var leaf = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        return new System.Numerics.BigInteger(leaf.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void RequirePort80()
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, 80);
            probe.Start();
        }
        catch (SocketException e)
        {
            Assert.Ignore($"127.0.0.1:80 cannot be bound ({e.SocketErrorCode}): step-ca 0.19 validates http-01 on port 80 only");
        }
    }

    /// <summary>Copies the fixture PKI with step-ca's MySQL db block (dataSource ending in "/", then the database) on 127.0.0.1:<paramref name="port"/>.</summary>
    private static string CopyFixturePki(string stepPath, int port, DatabaseServer server, string database) => FixturePkiCopy.Write(stepPath, config =>
    {
        config["address"] = $"127.0.0.1:{port}";
        config["db"] = server.DbBlock(database, server.Dsn[..(server.Dsn.IndexOf(")/", StringComparison.Ordinal) + 2)]);
    });
}
