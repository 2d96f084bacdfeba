using System.Diagnostics;
using Smallstep.Pki.Templates;
using static Smallstep.Pki.Tests.Templates.TemplateTestData;

namespace Smallstep.Pki.Tests.Templates;

/// <summary>Functions whose result size the template chooses refuse oversized results before allocating; regexes stay linear.</summary>
public sealed class TemplateFunctionBoundsTests
{
    [TestCase("{{ until 100000000 }}", "until")]
    [TestCase("{{ untilStep 0 2000000000 1 }}", "untilStep")]
    [TestCase("{{ seq 1 2000000 }}", "seq")]
    [TestCase("{{ indent 2000000 \"x\" }}", "indent")]
    [TestCase("{{ nindent 1000 (repeat 2000 \"\\n\") }}", "nindent")]
    [TestCase("{{ randAlphaNum 2000000 }}", "randAlphaNum")]
    [TestCase("{{ randBytes 2000000 }}", "randBytes")]
    [TestCase("{{ wrapWith 1 (repeat 1000 \"-\") (repeat 2000 \"a \") }}", "wrapWith")]
    public void Oversized_results_are_refused(string template, string function) =>
        FluentActions.Invoking(() => Render(template))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be($"error calling {function}: result of {function} would exceed {TemplateLimits.Default.MaxOutputChars} characters");

    [Test]
    public void The_output_limit_of_the_template_applies_to_functions()
    {
        var template = GoTemplate.Parse("t", "{{ len (until 50) }}", new TemplateLimits { MaxOutputChars = 10 });
        FluentActions.Invoking(() => template.Render(null)).Should().Throw<TemplateException>().WithMessage("*result of until would exceed 10 characters*");
    }

    [TestCase("(a+)+$")]
    [TestCase("(a|aa)*c")]
    [TestCase("(x+x+)+y")]
    public void Patterns_that_backtrack_exponentially_elsewhere_run_in_linear_time(string pattern)
    {
        var data = new Dictionary<string, object?> { ["P"] = pattern, ["S"] = new string(pattern[1], 20_000) + "!" };
        var watch = Stopwatch.StartNew();
        Render("{{ regexMatch .P .S }} {{ len (regexFindAll .P .S -1) }} {{ len (regexReplaceAll .P .S \"\") }}", data).Should().StartWith("false 0");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [TestCase("env")]
    [TestCase("expandenv")]
    [TestCase("getHostByName")]
    public void Functions_step_removes_or_that_reach_outside_are_not_defined(string function) =>
        FluentActions.Invoking(() => GoTemplate.Parse("t", "{{ " + function + " \"HOME\" }}"))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be($"function \"{function}\" not defined");
}
