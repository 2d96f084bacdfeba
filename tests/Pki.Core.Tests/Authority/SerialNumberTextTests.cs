using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Tests.Authority;

public sealed class SerialNumberTextTests
{
    [TestCase("284378085177260152713741022450271832441", "284378085177260152713741022450271832441")]
    [TestCase("0xD5F13A1B2ACF2201784D58969F8EC979", "284378085177260152713741022450271832441")]
    [TestCase("0b101", "5")]
    [TestCase("017", "15")]
    [TestCase("0o17", "15")]
    [TestCase("1_000", "1000")]
    public void Normalises_to_decimal_like_go(string text, string expected) =>
        SerialNumberText.ToDecimal(text).Should().Be(expected);

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("0x")]
    [TestCase("-5")]
    [TestCase("1__0")]
    [TestCase("_1")]
    [TestCase("08")]
    public void Refuses_invalid_serials_with_a_bad_request(string text)
    {
        var act = () => SerialNumberText.ToDecimal(text);
        act.Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }
}
