using System.Diagnostics;
using static Smallstep.Pki.Tests.Templates.TemplateTestData;

namespace Smallstep.Pki.Tests.Templates;

/// <summary>step's asn1Enc/asn1Marshal/asn1Seq/asn1Set: against Go's output, and the DER read back by openssl.</summary>
public sealed class StepAsn1FunctionTests
{
    [TestCaseSource(typeof(GoAsn1Cases), nameof(GoAsn1Cases.Cases))]
    public void Asn1_functions_match_go(GoCase c) => GoCrossCheck.Check(c);

    [Test]
    public void Openssl_parses_what_the_helpers_build()
    {
        var template = """{{ asn1Seq (asn1Enc "oid:1.3.6.1.5.5.7.3.1") (asn1Enc "utf8:héllo") (asn1Enc "int:-129") (asn1Enc "utc:2024-07-02T23:16:02Z") (asn1Marshal (list "a" true) "set") (asn1Marshal "x" "explicit" "tag:3") }}""";
        var der = Convert.FromBase64String(Render(template));

        var parsed = OpensslAsn1Parse(der);

        parsed.Should().Contain("OBJECT            :TLS Web Server Authentication")
            .And.Contain("UTF8STRING        :héllo")
            .And.Contain("INTEGER           :-81")
            .And.Contain("UTCTIME           :240702231602Z")
            .And.Contain("SET")
            .And.Contain("BOOLEAN           :255")
            .And.Contain("cont [ 3 ]")
            .And.Contain("PRINTABLESTRING   :x");
    }

    [Test]
    public void Sequence_children_are_kept_verbatim_and_in_order()
    {
        // step appends the decoded children with cryptobyte, neither validating nor sorting them.
        Render("""{{ asn1Set (asn1Enc "int:2") (asn1Enc "int:1") "/w==" }}""")
            .Should().Be(Convert.ToBase64String([0x31, 0x07, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01, 0xff]));
    }

    private static string OpensslAsn1Parse(byte[] der)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, der);
            var start = new ProcessStartInfo("openssl", ["asn1parse", "-inform", "DER", "-in", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            process.ExitCode.Should().Be(0, process.StandardError.ReadToEnd());
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
