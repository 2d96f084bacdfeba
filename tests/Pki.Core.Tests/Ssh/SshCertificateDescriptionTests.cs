using Smallstep.Pki.Errors;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>Reading rendered SSH templates the way step's Go JSON decoding does, and refusing hostile output.</summary>
public sealed class SshCertificateDescriptionTests
{
    [Test]
    public void All_fields_are_read()
    {
        var d = SshCertificateDescription.Parse("""
            {"type":"USER","keyId":"k","principals":["a",null,"b"],"validAfter":"2024-01-02T03:04:05Z","validBefore":"2024-01-02T05:04:05.5+02:00",
             "criticalOptions":{"force-command":"/bin/true","x":null},"extensions":{"permit-pty":""},"nonce":"bm9uY2U=","serial":42,"reserved":"","unknown":[1]}
            """);

        d.Type.Should().Be(SshCertificateType.User);
        d.KeyId.Should().Be("k");
        d.Principals.Should().Equal("a", "", "b");
        d.ValidAfter.Should().Be(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        d.ValidBefore.Should().Be(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 500, TimeSpan.Zero));
        d.CriticalOptions.Should().BeEquivalentTo(new Dictionary<string, string> { ["force-command"] = "/bin/true", ["x"] = "" });
        d.Extensions.Should().ContainKey("permit-pty");
        d.Nonce.ToArray().Should().Equal("nonce"u8.ToArray());
        d.Serial.Should().Be(42);
    }

    [Test]
    public void Names_match_case_insensitively_nulls_leave_defaults_and_trailing_text_is_ignored()
    {
        // Go's json.Decoder reads one value; encoding/json matches field names ignoring case.
        var d = SshCertificateDescription.Parse("""{"TYPE":"host","KeyID":"x","keyid":"y","principals":null,"serial":null,"validAfter":null} trailing""");
        d.Type.Should().Be(SshCertificateType.Host);
        d.KeyId.Should().Be("y");
        d.Principals.Should().BeEmpty();
        d.Serial.Should().Be(0);
        d.ValidAfter.Should().BeNull();
        SshCertificateDescription.Parse("null").Type.Should().Be(SshCertificateType.None);
    }

    [TestCase("", "error unmarshaling certificate: EOF")]
    [TestCase("{", "error unmarshaling certificate: invalid JSON*")]
    [TestCase("[1]", "error unmarshaling certificate: json: cannot unmarshal array into Go value of type sshutil.Certificate")]
    [TestCase("""{"type":"admin"}""", "error unmarshaling certificate: error unmarshaling 'admin' as a certificate type")]
    [TestCase("""{"type":null}""", "error unmarshaling certificate: error unmarshaling '' as a certificate type")]
    [TestCase("""{"type":1}""", "*cannot unmarshal number into Go value of type string")]
    [TestCase("""{"keyId":7}""", "*cannot unmarshal number into Go struct field Certificate.keyId of type string")]
    [TestCase("""{"principals":"root"}""", "*cannot unmarshal string into Go struct field Certificate.principals of type []string")]
    [TestCase("""{"principals":[1]}""", "*cannot unmarshal number into Go struct field Certificate.principals of type string")]
    [TestCase("""{"criticalOptions":["a"]}""", "*cannot unmarshal array into Go struct field Certificate.criticalOptions of type map[string]string")]
    [TestCase("""{"extensions":{"a":true}}""", "*cannot unmarshal bool into Go struct field Certificate.extensions of type string")]
    [TestCase("""{"serial":-1}""", "*cannot unmarshal number -1 into Go struct field Certificate.serial of type uint64")]
    [TestCase("""{"serial":1.5}""", "*cannot unmarshal number 1.5*")]
    [TestCase("""{"serial":18446744073709551616}""", "*cannot unmarshal number 18446744073709551616*")]
    [TestCase("""{"serial":"1"}""", "*cannot unmarshal string into Go struct field Certificate.serial of type uint64")]
    [TestCase("""{"validAfter":1700000000}""", "error unmarshaling certificate: Time.UnmarshalJSON: input is not a JSON string")]
    [TestCase("""{"validAfter":"tomorrow"}""", "error unmarshaling certificate: parsing time \"tomorrow\"*")]
    [TestCase("""{"validBefore":"0000-01-01T00:00:00Z"}""", "*validBefore is outside the years 1-9999")]
    [TestCase("""{"nonce":"!!"}""", "error unmarshaling certificate: illegal base64 data at input byte 0")]
    public void Wrong_types_are_bad_requests(string json, string message)
    {
        var error = FluentActions.Invoking(() => SshCertificateDescription.Parse(json)).Should().Throw<PkiException>().Which;
        error.Kind.Should().Be(PkiErrorKind.BadRequest);
        error.Message.Should().Match(message);
    }

    [Test]
    public void Hostile_sizes_are_bad_requests()
    {
        var principals = "[" + string.Join(",", Enumerable.Range(0, 257).Select(i => $"\"p{i}\"")) + "]";
        var options = "{" + string.Join(",", Enumerable.Range(0, 257).Select(i => $"\"o{i}\":\"\"")) + "}";
        var deep = new string('[', 100) + new string(']', 100);
        foreach (var json in new[]
        {
            $$"""{"principals":{{principals}}}""",
            $$"""{"extensions":{{options}}}""",
            $$"""{"keyId":"{{new string('k', 5000)}}"}""",
            "{\"criticalOptions\":{\"" + new string('n', 5000) + "\":\"\"}}",
            $$"""{"x":{{deep}}}""",
        })
        {
            FluentActions.Invoking(() => SshCertificateDescription.Parse(json))
                .Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.BadRequest);
        }

        SshCertificateDescription.Parse($$"""{"principals":[{{string.Join(",", Enumerable.Range(0, 256).Select(i => $"\"p{i}\""))}}]}""")
            .Principals.Should().HaveCount(256);
    }

    [Test]
    public void Random_json_never_escapes_as_another_exception()
    {
        var random = new Random(11);
        const string Alphabet = "{}[]\",:0123456789.-eE truefalsnul\\utypekyIdprincals";
        for (var i = 0; i < 5000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(1, 60)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
            try
            {
                SshCertificateDescription.Parse(text);
            }
            catch (PkiException e)
            {
                e.Kind.Should().Be(PkiErrorKind.BadRequest);
            }
        }
    }
}
