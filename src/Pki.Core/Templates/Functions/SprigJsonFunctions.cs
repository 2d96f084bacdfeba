using System.Text.Json;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's JSON functions beyond <see cref="SprigEncodingFunctions"/> (Masterminds/sprig
/// <c>defaults.go</c>): <c>toPrettyJson</c> (two-space indent, errors give an empty string),
/// <c>mustToJson mustToRawJson mustToPrettyJson</c> (errors fail the template) and
/// <c>mustFromJson</c> (invalid JSON fails the template).
/// </summary>
internal static class SprigJsonFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["toPrettyJson"] = a =>
        {
            try
            {
                return Pretty(One("toPrettyJson", a));
            }
            catch (TemplateFunctionException e) when (e.Message.StartsWith("json:", StringComparison.Ordinal))
            {
                return "";
            }
        };
        table["mustToPrettyJson"] = a => Pretty(One("mustToPrettyJson", a));
        table["mustToJson"] = a => TemplateJson.Serialize(One("mustToJson", a), escapeHtml: true);
        table["mustToRawJson"] = a => TemplateJson.Serialize(One("mustToRawJson", a), escapeHtml: false);
        table["mustFromJson"] = a =>
        {
            var text = FunctionArgs.String(One("mustFromJson", a));
            try
            {
                using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
                return TemplateData.FromJson(document.RootElement);
            }
            catch (JsonException e)
            {
                throw new TemplateFunctionException("invalid JSON: " + e.Message);
            }
            catch (ArgumentException e)
            {
                throw new TemplateFunctionException(e.Message);
            }
        };
    }

    private static string Pretty(object? value) => TemplateJson.SerializeIndented(value, "  ");

    private static object? One(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 1);
        return a[0];
    }
}
