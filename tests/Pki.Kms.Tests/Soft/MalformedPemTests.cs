using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Tests.Kms.Soft;

/// <summary>Hostile or damaged input is refused with a PkiException that says why.</summary>
public class MalformedPemTests
{
    private const string Password = "fixture-test-password";

    private static string RootKey => Fixtures.Text("pki", "secrets", "root_ca_key");

    private static string Ed25519Key => Fixtures.Text("issued", "ed25519.key");

    private static IEnumerable<TestCaseData> Cases()
    {
        var root = RootKey;
        var lines = root.Split('\n');
        yield return new TestCaseData("", "no PEM block found").SetName("empty");
        yield return new TestCaseData("garbage \u0000\u0001 not pem", "no PEM block found").SetName("garbage");
        yield return new TestCaseData(string.Join('\n', lines[..5]), "no END line").SetName("truncated before END");
        yield return new TestCaseData(root.Replace("PoprsnFER52", "Pop*snFER52", StringComparison.Ordinal), "invalid base64").SetName("bad base64");
        yield return new TestCaseData(root.Replace("5H0=\n", "\n", StringComparison.Ordinal), "whole number of AES-256-CBC blocks").SetName("ciphertext cut short");
        yield return new TestCaseData(string.Join('\n', lines.Where((_, i) => i != 5)), "incorrect password").SetName("ciphertext block missing");
        yield return new TestCaseData(root.Replace("AES-256-CBC", "AES-512-CBC", StringComparison.Ordinal), "unsupported DEK-Info cipher 'AES-512-CBC'").SetName("unknown DEK cipher");
        yield return new TestCaseData(root.Replace(",1b54c51a9d3252f090c1306d981dcd14", ",1b54c51a9d32", StringComparison.Ordinal), "needs a 16-byte IV").SetName("short IV");
        yield return new TestCaseData(root.Replace(",1b54c51a9d3252f090c1306d981dcd14", ",zz54c51a9d3252f090c1306d981dcd14", StringComparison.Ordinal), "IV is not hexadecimal").SetName("non-hex IV");
        yield return new TestCaseData(root.Replace("AES-256-CBC,", "AES-256-CBC;", StringComparison.Ordinal), "malformed DEK-Info").SetName("DEK-Info without comma");
        yield return new TestCaseData(root.Replace("DEK-Info", "DEK-Inf0", StringComparison.Ordinal), "no DEK-Info header").SetName("missing DEK-Info");
        yield return new TestCaseData(root.Replace("-----END EC PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----", StringComparison.Ordinal), "no END line").SetName("mismatched END");
        yield return new TestCaseData(root + root, "more than one PEM block").SetName("two blocks");
        yield return new TestCaseData(root.Replace("EC PRIVATE KEY", "DSA PRIVATE KEY", StringComparison.Ordinal), "unsupported PEM block type 'DSA PRIVATE KEY'").SetName("unknown type");
        yield return new TestCaseData(Fixtures.Text("pki", "certs", "root_ca.crt"), "holds a CERTIFICATE, not a private key").SetName("certificate");
        yield return new TestCaseData(new string('A', 70_000), "longer than").SetName("oversized");
        yield return new TestCaseData("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n", "malformed private key").SetName("empty PKCS#8 sequence");
        yield return new TestCaseData("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n", "is empty").SetName("empty body");
        yield return new TestCaseData(Ed25519Key.Replace("PRIVATE KEY", "EC PRIVATE KEY", StringComparison.Ordinal), "malformed private key").SetName("PKCS#8 labelled SEC1");
        yield return new TestCaseData("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n", "truncated").SetName("truncated OpenSSH");
    }

    [TestCaseSource(nameof(Cases))]
    public void Is_rejected_with_a_clear_reason(string pem, string reason)
    {
        var read = () => PemPrivateKeyReader.Parse(pem, Password);

        read.Should().Throw<PkiException>()
            .Where(e => e.Kind == PkiErrorKind.BadRequest && e.Message.StartsWith("error reading PEM: ", StringComparison.Ordinal))
            .Where(e => e.Message.Contains(reason, StringComparison.Ordinal), $"the message should contain '{reason}'");
    }

    [Test]
    public void Random_damage_never_escapes_as_another_exception()
    {
        var random = new Random(20261122);
        foreach (var original in new[] { RootKey, Ed25519Key, Fixtures.Text("issued", "rsa-2048.key") })
        {
            for (var i = 0; i < 400; i++)
            {
                var chars = original.ToCharArray();
                var position = random.Next(chars.Length);
                chars[position] = (char)random.Next(32, 127);
                var damaged = random.Next(4) == 0 ? new string(chars, 0, position) : new string(chars);
                try
                {
                    PemPrivateKeyReader.Parse(damaged, Password).Dispose();
                }
                catch (PkiException)
                {
                    // expected for most damage; a change in ignored text (e.g. a header-less base64
                    // padding variant) may still parse, which is fine as long as nothing else escapes.
                }
            }
        }
    }
}
