using Smallstep.Pki.Templates;
using static Smallstep.Pki.Tests.Templates.TemplateTestData;

namespace Smallstep.Pki.Tests.Templates;

public sealed class SyntaxTests
{
    [TestCase("plain text", "plain text")]
    [TestCase("a {{/* a comment */}} b", "a  b")]
    [TestCase("a {{- /* trimmed comment */ -}} b", "ab")]
    [TestCase("x  \n {{- 3 }}", "x3")]
    [TestCase("{{ 3 -}} \n\t y", "3y")]
    [TestCase("{{23 -}} < {{- 45}}", "23<45")]
    [TestCase("{{-3}}", "-3")]
    [TestCase("{{ \"a\\tb\\u00e9\\x41\\101\" }}", "a\tbéAA")]
    [TestCase("{{ `raw\\n` }}", "raw\\n")]
    [TestCase("{{ 0x1F }} {{ 0o17 }} {{ 1_000 }} {{ 017 }} {{ 'a' }}", "31 15 1000 15 97")]
    [TestCase("{{ 1.5 }} {{ 1e6 }} {{ 123456.0 }} {{ 0.0001 }} {{ 0.00001 }}", "1.5 1e+06 123456 0.0001 1e-05")]
    [TestCase("{{ true }} {{ false }} {{ print nil }}", "true false <nil>")]
    [TestCase("{{ first (list) }} {{ .A.Missing }} {{ print .A.Missing }}", "<no value> <no value> <nil>")]
    [TestCase("{{ .A.B }}", "x")]
    [TestCase("{{ .Missing }}", "<no value>")]
    [TestCase("{{ .Missing.Deeper }}", "<no value>")]
    [TestCase("{{ $ }}", "map[A:map[B:x] L:[1 2]]")]
    [TestCase("{{ $x := .A }}{{ $x.B }}", "x")]
    [TestCase("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", "2")]
    [TestCase("{{ (print \"a\" \"b\") }}", "ab")]
    [TestCase("{{ (.A).B }}", "x")]
    [TestCase("{{ .A.B | printf \"%s-%s\" \"p\" }}", "p-x")]
    [TestCase("{{ \"x\" | print \"a\" | print \"b\" }}", "bax")]
    public void Renders_like_go(string text, string expected) =>
        Render(text, Json("""{"A":{"B":"x"},"L":[1,2]}""")).Should().Be(expected);

    [TestCase("{{ nosuch 1 }}", 1, 4, "function \"nosuch\" not defined")]
    [TestCase("line1\n  {{ if }}", 2, 9, "missing value for if")]
    [TestCase("{{ }}", 1, 4, "missing value for command")]
    [TestCase("{{ $y }}", 1, 4, "undefined variable \"$y\"")]
    [TestCase("{{ if true }}x", 1, 15, "unexpected EOF")]
    [TestCase("{{ end }}", 1, 4, "unexpected {{end}}")]
    [TestCase("a\n{{ .A", 2, 1, "unclosed action")]
    [TestCase("{{ \"abc }}", 1, 4, "unterminated quoted string")]
    [TestCase("{{ break }}", 1, 4, "{{break}} outside {{range}}")]
    [TestCase("{{ 3x }}", 1, 4, "bad number syntax: \"3x\"")]
    [TestCase("{{ /* x */ }}", 1, 4, "unrecognized character in action: '/'")]
    [TestCase("{{ 1 | 2 }}", 1, 8, "can't give argument to non-function")]
    [TestCase("{{ nil }}", 1, 4, "nil is not a command")]
    public void Syntax_errors_name_the_position(string text, int line, int column, string reason)
    {
        var act = () => Render(text);
        var error = act.Should().Throw<TemplateException>().Which;
        (error.TemplateName, error.Line, error.Column, error.Reason).Should().Be(("t", line, column, reason));
        error.Message.Should().Be($"template: t:{line}:{column}: {reason}");
    }

    [Test]
    public void Unknown_function_fails_at_parse_time_not_render_time()
    {
        var act = () => GoTemplate.Parse("leaf", "{{ if false }}{{ nosuch }}{{ end }}");
        act.Should().Throw<TemplateException>().Which.Reason.Should().Be("function \"nosuch\" not defined");
    }

    [Test]
    public void Runtime_errors_name_the_position()
    {
        var act = () => Render("ok\n  {{ lower 1 }}");
        var error = act.Should().Throw<TemplateException>().Which;
        (error.Line, error.Column).Should().Be((2, 6));
        error.Reason.Should().Be("error calling lower: wrong type for value; expected string; got int");
    }

    [Test]
    public void Nil_data_is_go_invalid_value_but_a_nil_map_entry_is_a_nil_pointer()
    {
        Render("{{ . }} {{ .A.B }}").Should().Be("<no value> <no value>");
        FluentActions.Invoking(() => Render("{{ .A.B }}", Json("""{"A":null}""")))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be("nil pointer evaluating interface {}.B");
    }

    [Test]
    public void Field_on_a_string_is_a_runtime_error() =>
        FluentActions.Invoking(() => Render("{{ .A.B.C }}", Json("""{"A":{"B":"x"}}""")))
            .Should().Throw<TemplateException>().WithMessage("*can't evaluate field C in type string");

    [Test]
    public void Data_of_unsupported_type_is_refused() =>
        FluentActions.Invoking(() => Render("{{ . }}", new Uri("https://example.com")))
            .Should().Throw<TemplateException>().WithMessage("*Uri is not template data");

    [Test]
    public void Plain_dotnet_collections_are_accepted()
    {
        var data = new Dictionary<string, object> { ["N"] = 3, ["L"] = new[] { "a", "b" } };
        Render("{{ .N }} {{ index .L 1 }} {{ len .L }}", data).Should().Be("3 b 2");
    }
}
