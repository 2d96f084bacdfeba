using Smallstep.Pki.Templates;
using static Smallstep.Pki.Tests.Templates.TemplateTestData;

namespace Smallstep.Pki.Tests.Templates;

public sealed class BuiltinFunctionTests
{
    private const string Data = """{"S":"héllo","L":[1,2,3],"M":{"k":"v"},"F":1.5,"N":3}""";

    [TestCase("{{ not 0 }} {{ not .S }}", "true false")]
    [TestCase("{{ len .S }} {{ len .L }} {{ len .M }}", "6 3 1")]
    [TestCase("{{ index .L 1 }} {{ index .M \"k\" }} {{ index .M \"nope\" }}", "2 v <no value>")]
    [TestCase("{{ index (list (list 1 2) (list 3 4)) 1 0 }}", "3")]
    // sprig's slice replaces Go's built-in (FuncMap entries win), so strings cannot be sliced: see GoSprigCases slice_str.
    [TestCase("{{ slice .L 1 }} {{ slice .L 1 2 }}", "[2 3] [2]")]
    [TestCase("{{ print \"a\" 1 2 \"b\" }}", "a1 2b")]
    [TestCase("{{ println \"a\" 1 }}", "a 1\n")]
    [TestCase("{{ printf \"%s|%d|%v|%q|%x|%t|%f\" \"s\" 42 .L \"q\\\"\" 255 true 1.5 }}", "s|42|[1 2 3]|\"q\\\"\"|ff|true|1.500000")]
    [TestCase("{{ printf \"%5d|%-5s|%05d|%.2f|%x|%X\" 42 \"ab\" 42 3.14159 \"hi\" 255 }}", "   42|ab   |00042|3.14|6869|FF")]
    [TestCase("{{ printf \"%d %s\" \"x\" }}", "%!d(string=x) %!s(MISSING)")]
    [TestCase("{{ printf \"%d\" 1 2 }}", "1%!(EXTRA int=2)")]
    [TestCase("{{ printf \"%v %v\" .M .F }}", "map[k:v] 1.5")]
    [TestCase("{{ html \"<a href='x'>&\\\"\" }}", "&lt;a href=&#39;x&#39;&gt;&amp;&#34;")]
    [TestCase("{{ js \"it's <b>\\\"\\n\" }}", "it\\'s \\u003Cb\\u003E\\\"\\u000A")]
    [TestCase("{{ urlquery \"a b&c=d/é\" }}", "a+b%26c%3Dd%2F%C3%A9")]
    [TestCase("{{ eq 1 1 }} {{ eq \"a\" \"b\" }} {{ eq .N 1 2 3 }} {{ ne 1 2 }}", "true false true true")]
    [TestCase("{{ le 2 2 }} {{ ge \"b\" \"a\" }} {{ lt 1 2 }} {{ gt 2.5 1.5 }}", "true true true true")]
    [TestCase("{{ js \"a\u2028b\" }}", "a\\u2028b")]
    [TestCase("{{ eq nil nil }} {{ eq .Missing \"x\" }}", "true false")]
    public void Builtins_follow_go(string text, string expected) =>
        Render(text, Json(Data)).Should().Be(expected);

    [TestCase("{{ eq 1 \"1\" }}", "error calling eq: incompatible types for comparison")]
    [TestCase("{{ lt true false }}", "error calling lt: invalid type for comparison")]
    [TestCase("{{ eq .L .L }}", "error calling eq: non-comparable type []interface {}")]
    [TestCase("{{ index .L 5 }}", "error calling index: index out of range: 5")]
    [TestCase("{{ len 3 }}", "error calling len: len of type int")]
    [TestCase("{{ not }}", "error calling not: wrong number of args for not: want 1 got 0")]
    public void Builtin_misuse_is_a_runtime_error(string text, string reason) =>
        FluentActions.Invoking(() => Render(text, Json(Data)))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be(reason);

    /// <summary>Deliberate deviation: Go refuses int against float64; JSON input here gives either, so they compare.</summary>
    [Test]
    public void Long_and_double_compare_numerically() =>
        Render("{{ eq .N 3.0 }} {{ lt 1 1.5 }} {{ gt .F 1 }}", Json(Data)).Should().Be("true true true");

    [Test]
    public void And_short_circuits_so_later_arguments_are_not_evaluated() =>
        Render("{{ and false (index .L 99) }}|{{ or 1 (index .L 99) }}", Json(Data)).Should().Be("false|1");
}
