using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.SqlStorage;

/// <summary>
/// Loads fixtures/step-ca-0.19/mysql/stepca.sql (mysqldump of a real step-ca 0.19 database) into a
/// new database on the MariaDB server with the real <c>mariadb</c> client.
/// </summary>
internal static partial class MariaDbDump
{
    /// <summary>Loads the dump as <paramref name="database"/> (instead of its own <c>stepca</c>).</summary>
    public static void Load(DatabaseServer server, string database)
    {
        ExternalTool.Require("mariadb", "mariadb-client");
        var dsn = DsnParts().Match(server.Dsn);
        dsn.Success.Should().BeTrue("PKI_TEST_MYSQL is a go-sql-driver DSN");
        // The dump holds BLOBs as raw bytes, so it is edited as bytes: line 1 (MariaDB's sandbox
        // comment) is dropped and the database name replaced.
        var dump = Fixtures.Bytes("mysql", "stepca.sql");
        var body = dump.AsSpan(Array.IndexOf(dump, (byte)'\n') + 1);
        var client = Process.Start(new ProcessStartInfo("mariadb", ["--no-defaults", "-h", dsn.Groups["host"].Value, "-P", dsn.Groups["port"].Value,
            "-u", dsn.Groups["user"].Value, "-p" + dsn.Groups["password"].Value])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
        })!;
        using (client)
        {
            var errors = client.StandardError.ReadToEndAsync();
            var input = client.StandardInput.BaseStream;
            var name = Encoding.ASCII.GetBytes($"`{database}`");
            for (var at = body.IndexOf("`stepca`"u8); at >= 0; at = body.IndexOf("`stepca`"u8))
            {
                input.Write(body[..at]);
                input.Write(name);
                body = body[(at + "`stepca`"u8.Length)..];
            }
            input.Write(body);
            client.StandardInput.Close();
            client.WaitForExit();
            client.ExitCode.Should().Be(0, errors.Result);
        }
    }

    [GeneratedRegex(@"^(?<user>[^:@]+):(?<password>[^@]*)@tcp\((?<host>[^:]+):(?<port>\d+)\)/")]
    private static partial Regex DsnParts();
}
