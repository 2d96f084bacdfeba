using System.Text.Json;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Tests.Templates;

/// <summary>
/// Shorthands: render a template, build data from JSON. The expected outputs in these tests
/// were cross-checked by running the same templates through Go 1.19 text/template and sprig
/// 3.2.3 (except Go 1.22/1.23 additions: range over int, else with).
/// </summary>
internal static class TemplateTestData
{
    public static string Render(string text, object? data = null) => GoTemplate.Parse("t", text).Render(data);

    public static object? Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return TemplateData.FromJson(document.RootElement);
    }
}
