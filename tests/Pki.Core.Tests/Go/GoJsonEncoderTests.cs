using System.Buffers;
using System.Text;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Tests.Go;

/// <summary>
/// The expected strings are what Go 1.19's encoding/json Encoder writes (encode.go
/// <c>encodeState.string</c> with escapeHTML), the encoder step-ca 0.19 answered with.
/// </summary>
[TestFixture]
public class GoJsonEncoderTests
{
    // step-ca's api/render.JSONStatus: json.NewEncoder(w).Encode(v) under Go 1.19.
    private static readonly GoJsonFormat Encoder = GoJsonFormat.Go119Marshal with { TrailingNewline = true };

    [TestCase("plain ascii +/=' ~", "\"plain ascii +/=' ~\"")]
    [TestCase("<a href=\"x\">&</a>", "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\"")]
    [TestCase("line\nfeed\rreturn\ttab", "\"line\\nfeed\\rreturn\\ttab\"")]
    [TestCase("\b\f\u0000\u001f", "\"\\u0008\\u000c\\u0000\\u001f\"")]
    [TestCase("back\\slash", "\"back\\\\slash\"")]
    [TestCase("del\u007f", "\"del\u007f\"")]
    [TestCase("é ü 日本 😀", "\"é ü 日本 😀\"")]
    [TestCase("sep\u2028par\u2029", "\"sep\\u2028par\\u2029\"")]
    public void Strings_are_escaped_as_go_does(string value, string expected)
    {
        var json = GoJsonEncoder.Encode(w => w.WriteStringValue(value), Encoder);

        Encoding.UTF8.GetString(json).Should().Be(expected + "\n");
    }

    [Test]
    public void Invalid_utf8_bytes_each_become_a_replacement_escape()
    {
        var output = new ArrayBufferWriter<byte>();

        GoJsonString.Write([(byte)'a', 0xff, 0xc3, (byte)'b'], output, GoJsonFormat.Go119Marshal);

        Encoding.ASCII.GetString(output.WrittenSpan).Should().Be("\"a\\ufffd\\ufffdb\"");
    }

    [Test]
    public void Structure_is_compact_with_a_trailing_newline_and_numbers_are_kept()
    {
        var json = GoJsonEncoder.Encode(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("a<b");
            w.WriteNumberValue(1.2);
            w.WriteNumberValue(1.0);
            w.WriteBooleanValue(false);
            w.WriteNullValue();
            w.WriteStartObject();
            w.WriteEndObject();
            w.WriteStartArray();
            w.WriteEndArray();
            w.WriteEndArray();
            w.WritePropertyName("raw");
            w.WriteRawValue("""{ "k" : "\u00e9\u003c" , "n" : 10 }""");
            w.WriteEndObject();
        }, Encoder);

        Encoding.UTF8.GetString(json).Should().Be("{\"a\\u003cb\":[1.2,1,false,null,{},[]],\"raw\":{\"k\":\"é\\u003c\",\"n\":10}}\n");
    }

    [Test]
    public void Indented_layout_is_json_MarshalIndent_and_can_leave_html_readable()
    {
        var json = GoJsonEncoder.EncodeToString(
            w =>
            {
                w.WriteStartObject();
                w.WriteString("a", "<&>");
                w.WriteStartArray("list");
                w.WriteNumberValue(1);
                w.WriteStartObject();
                w.WriteEndObject();
                w.WriteStartArray();
                w.WriteEndArray();
                w.WriteEndArray();
                w.WriteEndObject();
            },
            GoJsonFormat.Go119Marshal with { Indent = "  ", EscapeHtml = false });

        json.Should().Be("{\n  \"a\": \"<&>\",\n  \"list\": [\n    1,\n    {},\n    []\n  ]\n}");
    }
}
