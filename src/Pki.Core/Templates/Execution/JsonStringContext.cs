using System.Globalization;
using System.Text;

namespace Smallstep.Pki.Templates.Execution;

/// <summary>
/// Follows the output of a template that produces JSON, so that an action printed inside a JSON
/// string literal is escaped for that context. A request value such as a CSR common name of
/// <c>x", "dnsNames": ["evil"]</c> then stays inside its string even in a template written as
/// <c>"{{ .Insecure.CR.Subject.CommonName }}"</c> (the 2020 step-ca template injection class).
/// Output outside strings (e.g. <c>{{ toJson .Subject }}</c>) is written unchanged.
/// </summary>
internal sealed class JsonStringContext
{
    private bool inString;
    private bool escaped;

    /// <summary>Advances the state over text written as is.</summary>
    public void Feed(string text)
    {
        foreach (var c in text)
        {
            if (!inString)
            {
                inString = c == '"';
            }
            else if (escaped)
            {
                escaped = false;
            }
            else if (c == '\\')
            {
                escaped = true;
            }
            else if (c == '"')
            {
                inString = false;
            }
        }
    }

    /// <summary>The action output to write: escaped when inside a string (state unchanged), else as is (state advanced).</summary>
    public string Print(string text)
    {
        if (!inString)
        {
            Feed(text);
            return text;
        }

        if (escaped)
        {
            // The template ended its text with a backslash; the first printed character completes
            // that escape as the template author wrote it.
            escaped = false;
            return text.Length == 0 ? text : text[..1] + Escape(text[1..]);
        }

        return Escape(text);
    }

    // RFC 8259 §7: quotation mark, reverse solidus and control characters must be escaped.
    private static string Escape(string text)
    {
        if (!text.Any(c => c is '"' or '\\' || c < 0x20))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                < (char)0x20 => sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }
}
