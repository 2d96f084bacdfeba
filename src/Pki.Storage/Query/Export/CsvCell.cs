namespace Smallstep.Pki.Storage.Query.Export;

/// <summary>
/// One CSV cell: RFC 4180 §2 quoting (a cell holding a comma, quote, CR or LF is enclosed in double
/// quotes, inner quotes doubled), plus the OWASP defence against formula injection: text that a
/// spreadsheet would evaluate (starting with <c>= + - @</c>, tab or CR) is prefixed with <c>'</c>.
/// Subjects and SANs come from certificate requests, so they are attacker-chosen text.
/// </summary>
internal static class CsvCell
{
    /// <summary>A cell holding untrusted text.</summary>
    public static string Text(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return Quoted(value);
    }

    /// <summary>A cell holding text this program formatted (numbers, times, fingerprints, PEM).</summary>
    public static string Quoted(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
