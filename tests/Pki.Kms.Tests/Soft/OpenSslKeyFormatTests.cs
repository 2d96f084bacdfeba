using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Tests.Kms.Soft;

/// <summary>
/// Every private-key encoding step-ca accepts, produced by the real openssl from the same base keys;
/// each must load and give the public key openssl computes.
/// </summary>
[Parallelizable(ParallelScope.None)]
public class OpenSslKeyFormatTests
{
    private const string Password = "openssl-test-password";
    private TempDirectory _dir = null!;

    [OneTimeSetUp]
    public void GenerateBaseKeys()
    {
        _dir = new TempDirectory();
        Tools.OpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", _dir.File("p256"));
        Tools.OpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", _dir.File("p384"));
        Tools.OpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521", "-out", _dir.File("p521"));
        Tools.OpenSsl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", _dir.File("rsa"));
        Tools.OpenSsl("genpkey", "-algorithm", "ED25519", "-out", _dir.File("ed25519"));
    }

    [OneTimeTearDown]
    public void Cleanup() => _dir.Dispose();

    private static IEnumerable<TestCaseData> Variants()
    {
        // Legacy OpenSSL encryption (Proc-Type/DEK-Info), what step writes for EC/RSA.
        foreach (var cipher in new[] { "-aes128", "-aes192", "-aes256", "-des3", "-des" })
        {
            yield return Case("p256", KeyAlgorithm.EcdsaP256, "EC PRIVATE KEY", "ec", "-in", "{in}", cipher, "-passout", "pass:" + Password);
            yield return Case("rsa", KeyAlgorithm.Rsa, "RSA PRIVATE KEY", "rsa", "-in", "{in}", "-traditional", cipher, "-passout", "pass:" + Password);
        }
        yield return Case("p384", KeyAlgorithm.EcdsaP384, "DEK-Info: AES-256-CBC", "ec", "-in", "{in}", "-aes256", "-passout", "pass:" + Password);
        yield return Case("p521", KeyAlgorithm.EcdsaP521, "DEK-Info: AES-256-CBC", "ec", "-in", "{in}", "-aes256", "-passout", "pass:" + Password);

        // PKCS#8 PBES2 with the ciphers and PRFs pemutil reads, for every key type.
        foreach (var (key, algorithm) in new[] { ("p256", KeyAlgorithm.EcdsaP256), ("rsa", KeyAlgorithm.Rsa), ("ed25519", KeyAlgorithm.Ed25519) })
        {
            yield return Case(key, algorithm, "ENCRYPTED PRIVATE KEY", "pkcs8", "-topk8", "-in", "{in}", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-passout", "pass:" + Password);
            yield return Case(key, algorithm, "ENCRYPTED PRIVATE KEY", "pkcs8", "-topk8", "-in", "{in}", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1", "-passout", "pass:" + Password);
            yield return Case(key, algorithm, "ENCRYPTED PRIVATE KEY", "pkcs8", "-topk8", "-in", "{in}", "-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA512", "-passout", "pass:" + Password);
            yield return Case(key, algorithm, "ENCRYPTED PRIVATE KEY", "pkcs8", "-topk8", "-in", "{in}", "-v2", "des3", "-passout", "pass:" + Password);
            // PKCS#12 PBE (not PBES2): BouncyCastle's path.
            yield return Case(key, algorithm, "ENCRYPTED PRIVATE KEY", "pkcs8", "-topk8", "-in", "{in}", "-v1", "PBE-SHA1-3DES", "-passout", "pass:" + Password);
            // Unencrypted PKCS#8.
            yield return Case(key, algorithm, "BEGIN PRIVATE KEY", "pkey", "-in", "{in}");
        }

        // Single DES needs OpenSSL 3's legacy provider; pemutil reads it, so do we.
        yield return Case("p256", KeyAlgorithm.EcdsaP256, "ENCRYPTED PRIVATE KEY", "pkcs8", "-topk8", "-in", "{in}", "-v2", "des-cbc", "-provider", "legacy", "-provider", "default", "-passout", "pass:" + Password);

        // Unencrypted SEC1 / PKCS#1.
        yield return Case("p256", KeyAlgorithm.EcdsaP256, "BEGIN EC PRIVATE KEY", "ec", "-in", "{in}");
        yield return Case("p521", KeyAlgorithm.EcdsaP521, "BEGIN EC PRIVATE KEY", "ec", "-in", "{in}");
        yield return Case("rsa", KeyAlgorithm.Rsa, "BEGIN RSA PRIVATE KEY", "rsa", "-in", "{in}", "-traditional");
    }

    private static TestCaseData Case(string key, KeyAlgorithm algorithm, string marker, params string[] args) =>
        new TestCaseData(key, algorithm, marker, args).SetArgDisplayNames(key, string.Join(' ', args.Where(a => a != "{in}" && !a.StartsWith("pass:", StringComparison.Ordinal))));

    [TestCaseSource(nameof(Variants))]
    public void Reads_openssl_output(string key, KeyAlgorithm algorithm, string marker, string[] args)
    {
        var pem = Tools.OpenSsl(args.Select(a => a == "{in}" ? _dir.File(key) : a).ToArray());
        pem.Should().Contain(marker);

        using var parsed = PemPrivateKeyReader.Parse(pem, Password);

        parsed.Algorithm.Should().Be(algorithm);
        parsed.SubjectPublicKeyInfo.ToArray().Should().Equal(PublicKeyDer(key));
    }

    [TestCase("aes-256-cbc")]
    [TestCase("-v1")]
    public void Pkcs8_wrong_password_is_reported(string scheme)
    {
        var pem = scheme == "-v1"
            ? Tools.OpenSsl("pkcs8", "-topk8", "-in", _dir.File("ed25519"), "-v1", "PBE-SHA1-3DES", "-passout", "pass:" + Password)
            : Tools.OpenSsl("pkcs8", "-topk8", "-in", _dir.File("ed25519"), "-v2", scheme, "-passout", "pass:" + Password);

        var read = () => PemPrivateKeyReader.Parse(pem, "wrong password");

        read.Should().Throw<PkiException>().WithMessage("*incorrect password*");
    }

    [Test]
    public void Non_ascii_passwords_are_utf8_like_openssl()
    {
        const string password = "pässwörd-€-🔑";
        var pbes2 = Tools.OpenSsl("pkcs8", "-topk8", "-in", _dir.File("ed25519"), "-v2", "aes-256-cbc", "-passout", "pass:" + password);
        var legacy = Tools.OpenSsl("ec", "-in", _dir.File("p256"), "-aes256", "-passout", "pass:" + password);

        using var fromPbes2 = PemPrivateKeyReader.Parse(pbes2, password);
        using var fromLegacy = PemPrivateKeyReader.Parse(legacy, password);

        fromPbes2.SubjectPublicKeyInfo.ToArray().Should().Equal(PublicKeyDer("ed25519"));
        fromLegacy.SubjectPublicKeyInfo.ToArray().Should().Equal(PublicKeyDer("p256"));
    }

    [Test]
    public void Ecparam_output_with_its_parameters_block_is_read()
    {
        var pem = Tools.OpenSsl("ecparam", "-genkey", "-name", "prime256v1");
        pem.Should().StartWith("-----BEGIN EC PARAMETERS-----");

        using var key = PemPrivateKeyReader.Parse(pem);

        key.Algorithm.Should().Be(KeyAlgorithm.EcdsaP256);
    }

    [TestCase("RSA", "rsa_keygen_bits:1024", "1024 bits")]
    [TestCase("EC", "ec_paramgen_curve:secp256k1", "unsupported EC curve")]
    [TestCase("X25519", null, "unsupported private key algorithm 1.3.101.110")]
    [TestCase("ED448", null, "unsupported private key algorithm 1.3.101.113")]
    public void Unsupported_keys_are_rejected_with_the_reason(string algorithm, string? option, string reason)
    {
        var args = new List<string> { "genpkey", "-algorithm", algorithm };
        if (option is not null)
        {
            args.AddRange(["-pkeyopt", option]);
        }
        var pem = Tools.OpenSsl([.. args]);

        var read = () => PemPrivateKeyReader.Parse(pem);

        read.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest && e.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Test]
    public void Rsa_4096_keys_are_read()
    {
        var pem = Tools.OpenSsl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:4096");

        using var key = PemPrivateKeyReader.Parse(pem);

        key.Algorithm.Should().Be(KeyAlgorithm.Rsa);
    }

    private byte[] PublicKeyDer(string key)
    {
        var derFile = _dir.File(key + ".pub.der");
        if (!File.Exists(derFile))
        {
            Tools.OpenSsl("pkey", "-in", _dir.File(key), "-pubout", "-outform", "DER", "-out", derFile);
        }
        return File.ReadAllBytes(derFile);
    }
}
