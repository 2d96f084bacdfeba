using System.Text;
using System.Text.Json;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>sprig's JSON and base64 functions (the regex functions are in <see cref="SprigRegexFunctions"/>).</summary>
internal static class SprigEncodingFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["toJson"] = a => TemplateJson.Serialize(One("toJson", a), escapeHtml: true);
        table["toRawJson"] = a => TemplateJson.Serialize(One("toRawJson", a), escapeHtml: false);
        table["fromJson"] = a => FromJson(FunctionArgs.String(One("fromJson", a)));
        // GoByteString: binary data (an SSH key's .Marshal) is encoded byte for byte, as Go does.
        table["b64enc"] = a => Convert.ToBase64String(GoByteString.ToBytes(FunctionArgs.String(One("b64enc", a))));
        table["b64dec"] = a => B64Dec(FunctionArgs.String(One("b64dec", a)));
    }

    private static object? One(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 1);
        return a[0];
    }

    /// <summary>sprig's fromJson returns nil when the text is not JSON.</summary>
    private static object? FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            return TemplateData.FromJson(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>sprig's b64dec returns the error text instead of failing.</summary>
    private static string B64Dec(string s)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(s));
        }
        catch (FormatException)
        {
            return "illegal base64 data at input byte 0";
        }
    }
}
