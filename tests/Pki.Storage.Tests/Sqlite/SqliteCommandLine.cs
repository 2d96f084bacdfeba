using System.Diagnostics;

namespace Smallstep.Pki.Tests.Storage.Sqlite;

/// <summary>Runs the sqlite3 command-line shell (Debian package <c>sqlite3</c>) as an independent reader/writer of a database file.</summary>
internal static class SqliteCommandLine
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string database, string sql)
    {
        var start = new ProcessStartInfo("sqlite3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-bail");
        start.ArgumentList.Add("-cmd");
        start.ArgumentList.Add(".timeout 5000");
        start.ArgumentList.Add(database);
        start.ArgumentList.Add(sql);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("sqlite3 did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output).Trim(), (await error).Trim());
    }

    /// <summary>Runs SQL that must succeed; returns its output.</summary>
    public static async Task<string> QueryAsync(string database, string sql)
    {
        var (exitCode, output, error) = await RunAsync(database, sql);
        exitCode.Should().Be(0, error);
        return output;
    }
}
