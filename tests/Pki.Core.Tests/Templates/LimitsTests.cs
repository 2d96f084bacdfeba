using Smallstep.Pki.Templates;
using static Smallstep.Pki.Tests.Templates.TemplateTestData;

namespace Smallstep.Pki.Tests.Templates;

public sealed class LimitsTests
{
    [Test]
    public void A_range_over_a_huge_list_is_stopped_by_the_step_budget()
    {
        var huge = Enumerable.Range(0, 3_000_000).Select(i => (object?)(long)i).ToList();
        var act = () => GoTemplate.Parse("t", "{{ range . }}{{ end }}").Render(huge);
        act.Should().Throw<TemplateException>().Which.Reason.Should().Be("template execution exceeded 1000000 steps");
    }

    [Test]
    public void Nested_ranges_are_stopped_by_the_step_budget()
    {
        var limits = new TemplateLimits { MaxSteps = 10_000 };
        var act = () => GoTemplate.Parse("t", "{{ range 1000 }}{{ range 1000 }}{{ end }}{{ end }}", limits).Render(null);
        act.Should().Throw<TemplateException>().Which.Reason.Should().Be("template execution exceeded 10000 steps");
    }

    [Test]
    public void Growing_a_list_in_a_loop_is_charged_by_its_size()
    {
        var act = () => Render("{{ $l := list }}{{ range 100000 }}{{ $l = append $l 1 }}{{ end }}{{ len $l }}");
        act.Should().Throw<TemplateException>().Which.Reason.Should().Be("template execution exceeded 1000000 steps");
        Render("{{ $l := list }}{{ range 100 }}{{ $l = append $l 1 }}{{ end }}{{ len $l }}").Should().Be("100");
    }

    [Test]
    public void Doubling_a_string_in_variables_is_capped_without_output()
    {
        var act = () => Render("{{ $s := \"xxxxxxxx\" }}{{ range 40 }}{{ $s = print $s $s }}{{ end }}");
        act.Should().Throw<TemplateException>().Which.Reason.Should().Be("result of print exceeds 1048576 characters");
    }

    [Test]
    public void Output_is_capped()
    {
        var act = () => GoTemplate.Parse("t", "{{ range 2000 }}{{ repeat 1000 \"x\" }}{{ end }}").Render(null);
        act.Should().Throw<TemplateException>().Which.Reason.Should().Be("template output exceeds 1048576 characters");
    }

    [Test]
    public void Output_cap_is_configurable()
    {
        var template = GoTemplate.Parse("t", "{{ . }}", new TemplateLimits { MaxOutputChars = 3 });
        template.Render("abc").Should().Be("abc");
        FluentActions.Invoking(() => template.Render("abcd")).Should().Throw<TemplateException>();
    }

    [Test]
    public void Recursive_templates_hit_the_depth_limit()
    {
        var act = () => Render("{{ define \"r\" }}x{{ template \"r\" . }}{{ end }}{{ template \"r\" }}");
        act.Should().Throw<TemplateException>().Which.Reason.Should().Be("exceeded maximum template depth (100)");
    }

    [Test]
    public void Deep_nesting_inside_deep_recursion_fits_a_small_thread_stack()
    {
        // 90 nested ifs in a template that calls itself 100 deep: bounded by the walk-depth limit,
        // never a stack overflow, even on a 1 MiB thread stack.
        var ifs = string.Concat(Enumerable.Repeat("{{ if true }}", 90)) + "{{ template \"r\" }}" + string.Concat(Enumerable.Repeat("{{ end }}", 90));
        var template = GoTemplate.Parse("t", "{{ define \"r\" }}" + ifs + "{{ end }}{{ template \"r\" }}");
        Exception? caught = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    template.Render(null);
                }
                catch (Exception e)
                {
                    caught = e;
                }
            },
            1 << 20);
        thread.Start();
        thread.Join();
        caught.Should().BeOfType<TemplateException>().Which.Reason.Should().StartWith("exceeded maximum");
    }

    [Test]
    public void Overlong_template_text_is_refused()
    {
        var act = () => GoTemplate.Parse("t", new string('x', 11), new TemplateLimits { MaxTemplateChars = 10 });
        act.Should().Throw<TemplateException>().Which.Reason.Should().Be("template is longer than 10 characters");
    }

    [Test]
    public void Deeply_nested_parentheses_are_refused_not_a_stack_overflow()
    {
        var text = "{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}";
        FluentActions.Invoking(() => GoTemplate.Parse("t", text))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be("pipelines nest deeper than 100");
    }

    [Test]
    public void Self_referencing_maps_do_not_overflow_the_stack()
    {
        var act = () => Render("{{ $d := dict }}{{ $_ := set $d \"self\" $d }}{{ toJson $d }}");
        act.Should().Throw<TemplateException>().Which.Reason.Should().StartWith("error calling toJson: json: value nests deeper than");
    }

    [Test]
    public void Comparing_self_referencing_maps_does_not_overflow_the_stack()
    {
        var act = () => Render("{{ $a := dict }}{{ $_ := set $a \"self\" $a }}{{ $b := dict }}{{ $_ := set $b \"self\" $b }}{{ has $a (list $b) }}");
        act.Should().Throw<TemplateException>().Which.Reason.Should().Be("error calling has: value nests deeper than 64 levels");
    }

    [Test]
    public void Printing_a_self_referencing_map_is_an_error()
    {
        var act = () => Render("{{ $d := dict }}{{ $_ := set $d \"s\" $d }}{{ $d }}");
        act.Should().Throw<TemplateException>().Which.Reason.Should().Be("value nests deeper than 64 levels");
    }

    [Test]
    public void Printf_width_is_bounded() =>
        FluentActions.Invoking(() => Render("{{ printf \"%999999999d\" 1 }}"))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be("error calling printf: printf width or precision above 4096");

    [TestCase("{{")]
    [TestCase("{{ (1 }}")]
    [TestCase("{{ 1) }}")]
    [TestCase("{{ if 1 }}{{ else }}{{ else }}{{ end }}")]
    [TestCase("{{ define }}")]
    [TestCase("{{ template }}")]
    [TestCase("{{ $x, $y := 1 }}")]
    [TestCase("{{ 'ab' }}")]
    [TestCase("{{ \"\\q\" }}")]
    [TestCase("{{/* unclosed")]
    [TestCase("{{ range $a, $b, $c := . }}{{ end }}")]
    [TestCase("{{ .A .B }}")]
    public void Malformed_templates_throw_template_exceptions(string text) =>
        FluentActions.Invoking(() => Render(text, Json("""{"A":1,"B":2}""")))
            .Should().Throw<TemplateException>();
}
