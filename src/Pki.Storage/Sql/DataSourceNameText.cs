namespace Smallstep.Pki.Storage.Sql;

/// <summary>What of a DSN may appear in an error message.</summary>
internal static class DataSourceNameText
{
    /// <summary>
    /// A parameter name or enum value, cut to 40 characters without control characters. Never call it
    /// with a value that may be secret: DSNs hold passwords.
    /// </summary>
    public static string Printable(string text) => new(text.Take(40).Where(c => !char.IsControl(c)).ToArray());
}
