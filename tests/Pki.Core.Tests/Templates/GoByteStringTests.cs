using System.Text;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Tests.Templates;

/// <summary>
/// Go byte strings in template data: binary bytes survive <c>toString | b64enc</c> (an SSH key's
/// <c>.Marshal</c> in configuration templates), and UTF-8 text is encoded as before.
/// </summary>
public sealed class GoByteStringTests
{
    [Test]
    public void Binary_bytes_round_trip_and_b64enc_encodes_them_exactly()
    {
        byte[] blob = [0, 0, 0, 11, 0x73, 0x73, 0x68, 0xFF, 0xC3, 0x28, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0x80];
        var text = GoByteString.FromBytes(blob);

        GoByteString.ToBytes(text).Should().Equal(blob);
        GoTemplate.Parse("t", "{{ .Marshal | toString | b64enc }}").Render(new Dictionary<string, object?> { ["Marshal"] = text })
            .Should().Be(Convert.ToBase64String(blob));
    }

    [TestCase("plain ascii")]
    [TestCase("é€😀 and a lone \uD800 surrogate")]
    public void Text_is_utf8_as_before(string text)
    {
        GoTemplate.Parse("t", "{{ .S | b64enc }}").Render(new Dictionary<string, object?> { ["S"] = text })
            .Should().Be(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));
    }
}
