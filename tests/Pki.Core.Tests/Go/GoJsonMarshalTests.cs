using Smallstep.Pki.Go;

namespace Smallstep.Pki.Tests.Go;

/// <summary>Expected outputs are those of Go's <c>json.Marshal</c> (encoding/json, Go 1.22 or later), the format of stored rows.</summary>
[TestFixture]
public sealed class GoJsonMarshalTests
{
    private static string Encode(string value) =>
        GoJsonEncoder.EncodeToString(
            w =>
            {
                w.WriteStartObject();
                w.WriteString("s", value);
                w.WriteEndObject();
            },
            GoJsonFormat.Go122Marshal);

    [TestCase("plain", "{\"s\":\"plain\"}")]
    [TestCase("<a href=\"x\">&</a>", "{\"s\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\"}")]
    [TestCase("back\\slash", "{\"s\":\"back\\\\slash\"}")]
    [TestCase("\n\r\t\b\f", "{\"s\":\"\\n\\r\\t\\b\\f\"}")]
    [TestCase("\u0001\u001f\u007f", "{\"s\":\"\\u0001\\u001f\u007f\"}")]
    [TestCase("line\u2028para\u2029", "{\"s\":\"line\\u2028para\\u2029\"}")]
    [TestCase("café ✓ 😀", "{\"s\":\"café ✓ 😀\"}")]
    [TestCase("/+=", "{\"s\":\"/+=\"}")]
    public void Escapes_strings_as_Go_does(string value, string expected) => Encode(value).Should().Be(expected);

    [Test]
    public void Writes_a_lone_surrogate_as_the_replacement_escape() => Encode("a\ud800b").Should().Be("{\"s\":\"a\\ufffdb\"}");

    [Test]
    public void Writes_nested_objects_numbers_booleans_and_omits_empty_strings()
    {
        var json = GoJsonEncoder.EncodeToString(
            w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("inner");
                w.WriteNumber("n", -12);
                w.WriteBoolean("t", true);
                w.WriteEndObject();
                w.StringIfSet("gone", "");
                w.StringIfSet("gone too", null);
                w.WriteBoolean("f", false);
                w.WriteStartObject("empty");
                w.WriteEndObject();
                w.WriteEndObject();
            },
            GoJsonFormat.Go122Marshal);
        json.Should().Be("{\"inner\":{\"n\":-12,\"t\":true},\"f\":false,\"empty\":{}}");
    }
}
