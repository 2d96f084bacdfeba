using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Tests.Kms.Soft;

/// <summary>
/// Flips and truncates the binary body of keys in every supported encoding: each damaged key is
/// either refused with a BadRequest PkiException or (when the damage hit something unchecked, such
/// as an OpenSSH comment) still a working key — no other exception ever escapes.
/// </summary>
[Parallelizable(ParallelScope.None)]
public class DamagedKeyTests
{
    private const string Password = "damage-test-password";
    private readonly Dictionary<string, (string Pem, string? Password)> _keys = [];
    private TempDirectory _dir = null!;

    [OneTimeSetUp]
    public void MakeKeys()
    {
        _dir = new TempDirectory();
        _keys["step legacy EC"] = (Fixtures.Text("pki", "secrets", "root_ca_key"), "fixture-test-password");
        _keys["PKCS#8 RSA"] = (Fixtures.Text("issued", "rsa-2048.key"), null);
        _keys["PKCS#8 Ed25519"] = (Fixtures.Text("issued", "ed25519.key"), null);
        Tools.OpenSsl("genpkey", "-algorithm", "ED25519", "-out", _dir.File("ed"));
        Tools.OpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", _dir.File("ec"));
        _keys["PBES2 Ed25519"] = (Tools.OpenSsl("pkcs8", "-topk8", "-in", _dir.File("ed"), "-v2", "aes-256-cbc", "-iter", "1", "-passout", "pass:" + Password), Password);
        _keys["PKCS#12 PBE EC"] = (Tools.OpenSsl("pkcs8", "-topk8", "-in", _dir.File("ec"), "-v1", "PBE-SHA1-3DES", "-iter", "1", "-passout", "pass:" + Password), Password);
        _keys["legacy RSA"] = (Tools.OpenSsl("rsa", "-in", Fixtures.Path("issued", "rsa-2048.key"), "-traditional", "-aes128", "-passout", "pass:" + Password), Password);
        foreach (var (type, bits) in new[] { ("rsa", "2048"), ("ecdsa", "256"), ("ed25519", "256") })
        {
            Tools.Ok("ssh-keygen", "-q", "-t", type, "-b", bits, "-N", "", "-f", _dir.File("ssh-" + type));
            _keys["OpenSSH " + type] = (File.ReadAllText(_dir.File("ssh-" + type)), null);
        }
    }

    [OneTimeTearDown]
    public void Cleanup() => _dir.Dispose();

    private static readonly string[] Names =
        ["step legacy EC", "PKCS#8 RSA", "PKCS#8 Ed25519", "PBES2 Ed25519", "PKCS#12 PBE EC", "legacy RSA", "OpenSSH rsa", "OpenSSH ecdsa", "OpenSSH ed25519"];

    [TestCaseSource(nameof(Names))]
    public void Damaged_body_is_refused_or_still_a_working_key(string name)
    {
        var (pem, password) = _keys[name];
        using (var intact = PemPrivateKeyReader.Parse(pem, password))
        {
            intact.Signer.SignAsync(new byte[1]).AsTask().Result.Should().NotBeEmpty();
        }
        var lines = pem.TrimEnd('\n').Split('\n');
        var blank = Array.IndexOf(lines, "");
        var bodyStart = blank > 0 ? blank + 1 : 1; // after the header block, else after BEGIN
        var head = string.Join('\n', lines[..bodyStart]) + "\n";
        var tail = "\n" + lines[^1] + "\n";
        var body = Convert.FromBase64String(string.Concat(lines[bodyStart..^1]));
        var random = new Random(name.Length);

        var refused = 0;
        var step = Math.Max(1, body.Length / 400);
        for (var i = 0; i < body.Length; i += step)
        {
            var flipped = (byte[])body.Clone();
            flipped[i] ^= (byte)random.Next(1, 256);
            refused += Refused(head + Convert.ToBase64String(flipped) + tail, password);
            refused += Refused(head + Convert.ToBase64String(body, 0, i) + tail, password);
        }

        refused.Should().BeGreaterThan(body.Length / step, "most damage must be detected");
    }

    private static int Refused(string pem, string? password)
    {
        try
        {
            using var key = PemPrivateKeyReader.Parse(pem, password);
            key.Signer.SignAsync(new byte[1]).AsTask().Result.Should().NotBeEmpty();
            return 0;
        }
        catch (PkiException e)
        {
            e.Kind.Should().Be(PkiErrorKind.BadRequest, e.Message);
            return 1;
        }
    }
}
