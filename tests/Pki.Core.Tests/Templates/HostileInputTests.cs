using Smallstep.Pki.Templates;
using static Smallstep.Pki.Tests.Templates.TemplateTestData;

namespace Smallstep.Pki.Tests.Templates;

/// <summary>Random templates built from the language's pieces: any failure must be a <see cref="TemplateException"/>.</summary>
public sealed class HostileInputTests
{
    private static readonly string[] Pieces =
    [
        "{{", "}}", "{{-", " -}}", " ", "\n", ".", ".A", ".L", "$", "$x", ":=", "=", "|", "(", ")", ",", "\"s\"", "`r`",
        "'c'", "1", "-2", "1.5", "0x", "true", "nil", "if", "else", "end", "range", "with", "define", "template", "block",
        "break", "continue", "len", "index", "slice", "printf", "\"%d\"", "eq", "lt", "and", "or", "not", "toJson", "fail",
        "default", "split", "dict", "set", "first", "substr", "trunc", "repeat", "regexFind", "\"(\"", "/*", "*/", "\\",
    ];

    [Test]
    public void Random_templates_fail_only_with_template_exceptions()
    {
        var random = new Random(20261122);
        var data = Json("""{"A":{"B":1},"L":[1,"two",3.5,null]}""");
        var unexpected = new List<string>();
        var rendered = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = string.Join(i % 2 == 0 ? "" : " ", Enumerable.Range(0, random.Next(1, 16)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            if (i % 2 == 1)
            {
                // Half the cases are one well-delimited action, to reach the evaluator and the functions.
                text = "{{ " + text.Replace("{{", "", StringComparison.Ordinal).Replace("}}", "", StringComparison.Ordinal) + " }}";
            }

            try
            {
                GoTemplate.Parse("fuzz", text, new TemplateLimits { MaxSteps = 10_000 }).Render(data);
                rendered++;
            }
            catch (TemplateException)
            {
            }
            catch (Exception e)
            {
                unexpected.Add($"{text} => {e.GetType().Name}: {e.Message}");
            }
        }

        unexpected.Should().BeEmpty();
        rendered.Should().BeGreaterThan(1000, "the generator must reach rendering, not only the lexer");
    }
}
