namespace Smallstep.Pki.Storage.Sql;

/// <summary>What of a DSN may appear in an error message.</summary>
internal static class DataSourceNameText
{
    /// <summary>What replaces a password in a message.</summary>
    public const string Masked = "*****";

    /// <summary>
    /// A parameter name or enum value, cut to 40 characters without control characters. Never call it
    /// with a value that may be secret: DSNs hold passwords.
    /// </summary>
    public static string Printable(string text) => new(text.Take(40).Where(c => !char.IsControl(c)).ToArray());

    /// <summary>
    /// <paramref name="message"/> as one line (line breaks become spaces) with every occurrence of
    /// <paramref name="password"/>, as written or percent-encoded, replaced by <see cref="Masked"/>.
    /// Driver and server messages are not expected to repeat a password, but a message reaches logs
    /// and terminals, so it is masked rather than trusted.
    /// </summary>
    public static string Mask(string message, string? password)
    {
        var line = message.ReplaceLineEndings(" ");
        if (string.IsNullOrEmpty(password))
        {
            return line;
        }
        line = line.Replace(password, Masked, StringComparison.Ordinal);
        var encoded = Uri.EscapeDataString(password);
        return encoded == password ? line : line.Replace(encoded, Masked, StringComparison.OrdinalIgnoreCase);
    }
}
