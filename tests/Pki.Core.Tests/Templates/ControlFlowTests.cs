using Smallstep.Pki.Templates;
using static Smallstep.Pki.Tests.Templates.TemplateTestData;

namespace Smallstep.Pki.Tests.Templates;

public sealed class ControlFlowTests
{
    private const string Data = """
        {"T":true,"F":false,"Zero":0,"Empty":"","EmptyList":[],"EmptyMap":{},
         "List":["a","b","c"],"Map":{"z":1,"a":2,"m":3},"Name":"n","Obj":{"X":"ox"}}
        """;

    [TestCase("{{ if .T }}yes{{ end }}", "yes")]
    [TestCase("{{ if .F }}yes{{ else }}no{{ end }}", "no")]
    [TestCase("{{ if .Zero }}1{{ else if .Empty }}2{{ else if .List }}3{{ else }}4{{ end }}", "3")]
    [TestCase("{{ if .EmptyList }}1{{ else if .EmptyMap }}2{{ else if .Missing }}3{{ else }}4{{ end }}", "4")]
    [TestCase("{{ if and .T .Name }}{{ and .T .Name }}{{ end }}", "n")]
    [TestCase("{{ or .Zero .Empty .Name }}", "n")]
    [TestCase("{{ and .T .Zero .Name }}", "0")]
    [TestCase("{{ or .Zero .Empty }}", "")]
    [TestCase("{{ with .Obj }}{{ .X }}{{ end }}", "ox")]
    [TestCase("{{ with .Empty }}x{{ else }}none{{ end }}", "none")]
    [TestCase("{{ with .Empty }}x{{ else with .Obj }}{{ .X }}{{ end }}", "ox")]
    [TestCase("{{ with $x := .Obj }}{{ $x.X }}{{ end }}", "ox")]
    [TestCase("{{ range .List }}{{ . }},{{ end }}", "a,b,c,")]
    [TestCase("{{ range $i, $v := .List }}{{ $i }}={{ $v }} {{ end }}", "0=a 1=b 2=c ")]
    [TestCase("{{ range $v := .List }}{{ $v }}{{ end }}", "abc")]
    [TestCase("{{ range $k, $v := .Map }}{{ $k }}={{ $v }} {{ end }}", "a=2 m=3 z=1 ")]
    [TestCase("{{ range .Map }}{{ . }}{{ end }}", "231")]
    [TestCase("{{ range .EmptyList }}x{{ else }}empty{{ end }}", "empty")]
    [TestCase("{{ range .Missing }}x{{ else }}empty{{ end }}", "empty")]
    [TestCase("{{ range 3 }}{{ . }}{{ end }}", "012")]
    [TestCase("{{ range .List }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", "a")]
    [TestCase("{{ range .List }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", "ac")]
    [TestCase("{{ range .List }}{{ $.Name }}{{ end }}", "nnn")]
    [TestCase("{{ $x := 1 }}{{ if .T }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}", "21")]
    [TestCase("{{ $x := 1 }}{{ if .T }}{{ $x = 2 }}{{ end }}{{ $x }}", "2")]
    [TestCase("{{ $n := 0 }}{{ range .List }}{{ $n = len . }}{{ end }}{{ $n }}", "1")]
    public void Control_structures_follow_go(string text, string expected) =>
        Render(text, Json(Data)).Should().Be(expected);

    [TestCase("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" .Name }}{{ template \"x\" }}", "[n][<no value>]")]
    [TestCase("{{ block \"b\" .Obj }}{{ .X }}{{ end }}!", "ox!")]
    [TestCase("{{ define \"x\" }}{{ $ }}{{ end }}{{ range .List }}{{ template \"x\" . }}{{ end }}", "abc")]
    [TestCase("{{ define \"a\" }}A{{ template \"b\" }}{{ end }}{{ define \"b\" }}B{{ end }}{{ template \"a\" }}", "AB")]
    public void Define_template_and_block(string text, string expected) =>
        Render(text, Json(Data)).Should().Be(expected);

    [Test]
    public void Defined_templates_can_be_rendered_by_name()
    {
        var template = GoTemplate.Parse("main", "{{ define \"inner\" }}in:{{ .Name }}{{ end }}main");
        template.TemplateNames.Should().BeEquivalentTo("main", "inner");
        template.RenderTemplate("inner", Json(Data)).Should().Be("in:n");
        template.Render(null).Should().Be("main");
    }

    [Test]
    public void Variables_do_not_leak_out_of_their_control_structure() =>
        FluentActions.Invoking(() => Render("{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}"))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be("undefined variable \"$x\"");

    [Test]
    public void Define_bodies_do_not_see_outer_variables() =>
        FluentActions.Invoking(() => Render("{{ $x := 1 }}{{ define \"d\" }}{{ $x }}{{ end }}"))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be("undefined variable \"$x\"");

    [Test]
    public void Missing_template_is_a_runtime_error() =>
        FluentActions.Invoking(() => Render("{{ template \"nope\" }}"))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be("no such template \"nope\"");

    [Test]
    public void Range_over_a_map_survives_the_body_unsetting_keys() =>
        Render("{{ $d := dict \"a\" 1 \"b\" 2 }}{{ range $k, $v := $d }}{{ $_ := unset $d \"b\" }}{{ $k }}{{ $v }}{{ end }}|{{ $d }}")
            .Should().Be("a1b2|map[a:1]");

    [Test]
    public void Range_over_a_string_is_an_error() =>
        FluentActions.Invoking(() => Render("{{ range .Name }}{{ end }}", Json(Data)))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be("range can't iterate over n");

    [Test]
    public void Trim_markers_in_a_realistic_layout()
    {
        const string text = """
            [
            {{- range $i, $v := .List }}
              {{- if $i }},{{ end }}
              "{{ $v }}"
            {{- end }}
            ]
            """;
        Render(text, Json(Data)).Should().Be("[\n  \"a\",\n  \"b\",\n  \"c\"\n]");
    }
}
