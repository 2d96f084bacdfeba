using Smallstep.Pki.Templates;
using static Smallstep.Pki.Tests.Templates.TemplateTestData;

namespace Smallstep.Pki.Tests.Templates;

/// <summary>Expected values from the sprig documentation (masterminds.github.io/sprig).</summary>
public sealed class SprigFunctionTests
{
    private const string Data = """{"Name":"  Hello World  ","L":[1,2,3],"D":{"b":2,"a":1},"Empty":""}""";

    [TestCase("{{ lower \"HELLO\" }} {{ upper \"hello\" }} {{ trim .Name }}", "hello HELLO Hello World")]
    [TestCase("{{ trimPrefix \"-\" \"-hello\" }} {{ trimSuffix \"-\" \"hello-\" }}", "hello hello")]
    [TestCase("{{ \"I Am Henry VIII\" | replace \" \" \"-\" }}", "I-Am-Henry-VIII")]
    [TestCase("{{ contains \"cat\" \"catch\" }} {{ hasPrefix \"cat\" \"catch\" }} {{ hasSuffix \"cat\" \"catch\" }}", "true true false")]
    [TestCase("{{ $a := split \"$\" \"foo$bar$baz\" }}{{ $a._0 }} {{ $a._2 }}", "foo baz")]
    [TestCase("{{ splitList \"$\" \"foo$bar$baz\" }}", "[foo bar baz]")]
    [TestCase("{{ list \"a\" \"b\" nil 1 | join \"-\" }}", "a-b-1")]
    [TestCase("{{ quote \"a\" 1 }} {{ squote \"b\" }}", "\"a\" \"1\" 'b'")]
    [TestCase("{{ repeat 3 \"hello\" }}", "hellohellohello")]
    [TestCase("{{ substr 0 5 \"hello world\" }} {{ substr 6 -1 \"hello world\" }}", "hello world")]
    [TestCase("{{ trunc 5 \"hello world\" }} {{ trunc -5 \"hello world\" }}", "hello world")]
    [TestCase("{{ default \"foo\" .Empty }} {{ default \"foo\" \"bar\" }} {{ .Missing | default \"m\" }}", "foo bar m")]
    [TestCase("{{ empty .Empty }} {{ empty .L }} {{ empty 0 }} {{ empty .Missing }}", "true false true true")]
    [TestCase("{{ coalesce .Empty 0 \"x\" }} {{ coalesce .Empty 0 }}", "x <no value>")]
    [TestCase("{{ true | ternary \"foo\" \"bar\" }} {{ ternary \"foo\" \"bar\" false }}", "foo bar")]
    [TestCase("{{ first .L }} {{ last .L }} {{ rest .L }} {{ initial .L }}", "1 3 [2 3] [1 2]")]
    [TestCase("{{ append .L 4 }} {{ prepend .L 0 }} {{ .L }}", "[1 2 3 4] [0 1 2 3] [1 2 3]")]
    [TestCase("{{ has 2 .L }} {{ has 9 .L }} {{ has 1 nil }}", "true false false")]
    [TestCase("{{ without .L 1 3 }} {{ list 1 1 2 1 | uniq }}", "[2] [1 2]")]
    [TestCase("{{ $d := dict \"name1\" \"value1\" \"name2\" }}{{ $d }}", "map[name1:value1 name2:]")]
    [TestCase("{{ get .D \"a\" }}|{{ get .D \"zz\" }}|{{ hasKey .D \"b\" }}", "1||true")]
    [TestCase("{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"b\" 2 }}{{ $d }} {{ unset $d \"a\" }}", "map[a:1 b:2] map[b:2]")]
    [TestCase("{{ keys .D }} {{ values .D }}", "[a b] [1 2]")]
    [TestCase("{{ toJson .D }} {{ toJson \"<&>\" }} {{ toRawJson \"<&>\" }}", "{\"a\":1,\"b\":2} \"\\u003c\\u0026\\u003e\" \"<&>\"")]
    [TestCase("{{ toJson (list 1.5 nil true \"q\\\"\") }}", "[1.5,null,true,\"q\\\"\"]")]
    [TestCase("{{ (fromJson \"{\\\"a\\\":[1,2]}\").a }} {{ fromJson \"nope\" }}", "[1 2] <no value>")]
    [TestCase("{{ b64enc \"hello\" }} {{ b64dec \"aGVsbG8=\" }}", "aGVsbG8= hello")]
    [TestCase("{{ regexMatch \"^[a-z]+\\\\.com$\" \"example.com\" }} {{ regexMatch \"(\" \"x\" }}", "true false")]
    [TestCase("{{ regexFind \"[a-zA-Z][1-9]\" \"abcd1234\" }}", "d1")]
    [TestCase("{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }}", "-W-xxW-")]
    [TestCase("{{ regexReplaceAll \"(?P<n>x+)\" \"axxb\" \"[${n}]\" }}", "a[xx]b")]
    [TestCase("{{ typeOf 1 }} {{ typeOf \"s\" }} {{ typeOf .L }} {{ typeIs \"string\" \"s\" }}", "int string []interface {} true")]
    public void Sprig_functions_follow_sprig(string text, string expected) =>
        Render(text, Json(Data)).Should().Be(expected);

    [Test]
    public void Set_does_not_modify_the_callers_data()
    {
        var data = new Dictionary<string, object?> { ["D"] = new Dictionary<string, object?> { ["a"] = 1L } };
        Render("{{ $_ := set .D \"b\" 2 }}{{ .D }}", data).Should().Be("map[a:1 b:2]");
        ((Dictionary<string, object?>)data["D"]!).Should().ContainSingle();
    }

    [Test]
    public void Fail_aborts_with_the_message()
    {
        var act = () => Render("ok {{ if not .Allowed }}{{ fail \"domain not allowed\" }}{{ end }}", Json("""{"Allowed":false}"""));
        var error = act.Should().Throw<TemplateFailException>().Which;
        error.FailMessage.Should().Be("domain not allowed");
        (error.Line, error.Column).Should().Be((1, 28));
    }

    [TestCase("{{ repeat 2000000 \"x\" }}", "error calling repeat: repeat count 2000000 out of range")]
    [TestCase("{{ first \"s\" }}", "error calling first: Cannot find first on type string")]
    [TestCase("{{ ternary 1 2 \"x\" }}", "error calling ternary: wrong type for value; expected bool; got string")]
    [TestCase("{{ replace \"a\" \"b\" }}", "error calling replace: wrong number of args for replace: want 3 got 2")]
    public void Sprig_misuse_is_a_runtime_error(string text, string reason) =>
        FluentActions.Invoking(() => Render(text, Json(Data)))
            .Should().Throw<TemplateException>().Which.Reason.Should().Be(reason);
}
