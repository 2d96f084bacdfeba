namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>Reads the host's SQLite store with Debian's <c>sqlite3</c>, independently of our storage code.</summary>
internal static class SqliteRows
{
    public static int Count(string databasePath, string table)
    {
        ExternalTool.Require("sqlite3", "sqlite3");
        // Table names are step-ca's bucket names (fixed identifiers), quoted as SQL identifiers.
        var output = ExternalTool.RunChecked("sqlite3", databasePath, $"SELECT count(*) FROM \"{table}\";");
        return int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether a row with the text key exists (keys are stored as bytes).</summary>
    public static bool HasKey(string databasePath, string table, string key)
    {
        ExternalTool.Require("sqlite3", "sqlite3");
        var hex = Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(key));
        var output = ExternalTool.RunChecked("sqlite3", databasePath, $"SELECT count(*) FROM \"{table}\" WHERE nkey = x'{hex}';");
        return output.Trim() == "1";
    }

    /// <summary>The value of the row with the text key, as UTF-8 text, or null when there is none.</summary>
    public static string? Value(string databasePath, string table, string key)
    {
        ExternalTool.Require("sqlite3", "sqlite3");
        var hex = Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(key));
        var output = ExternalTool.RunChecked("sqlite3", databasePath, $"SELECT hex(nvalue) FROM \"{table}\" WHERE nkey = x'{hex}';").Trim();
        return output.Length == 0 ? null : System.Text.Encoding.UTF8.GetString(Convert.FromHexString(output));
    }
}
