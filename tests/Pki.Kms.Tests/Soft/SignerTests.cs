using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Tests.Kms.Soft;

/// <summary>Signatures from every key type, verified by openssl and independently in-process.</summary>
public class SignerTests
{
    private static readonly KeyAlgorithm[] Algorithms =
        [KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384, KeyAlgorithm.EcdsaP521, KeyAlgorithm.Rsa, KeyAlgorithm.Ed25519];

    [TestCase(nameof(KeyAlgorithm.EcdsaP256), "300a06082a8648ce3d040302")]
    [TestCase(nameof(KeyAlgorithm.EcdsaP384), "300a06082a8648ce3d040303")]
    [TestCase(nameof(KeyAlgorithm.EcdsaP521), "300a06082a8648ce3d040304")]
    [TestCase(nameof(KeyAlgorithm.Rsa), "300d06092a864886f70d01010b0500")]
    [TestCase(nameof(KeyAlgorithm.Ed25519), "300506032b6570")]
    public void Signature_algorithm_identifier_is_the_X509_one(KeyAlgorithm algorithm, string der)
    {
        using var key = SoftPrivateKey.Generate(algorithm);

        Convert.ToHexStringLower(key.Signer.SignatureAlgorithmIdentifier.Span).Should().Be(der);
        key.Signer.Algorithm.Should().Be(algorithm);
        key.Signer.SubjectPublicKeyInfo.ToArray().Should().Equal(key.SubjectPublicKeyInfo.ToArray());
    }

    [TestCaseSource(nameof(Algorithms))]
    public async Task Openssl_verifies_the_signature(KeyAlgorithm algorithm)
    {
        using var dir = new TempDirectory();
        using var key = SoftPrivateKey.Generate(algorithm);
        var data = "tbsCertificate bytes"u8.ToArray();
        var signature = await key.Signer.SignAsync(data);
        File.WriteAllBytes(dir.File("data"), data);
        File.WriteAllBytes(dir.File("sig"), signature);
        File.WriteAllText(dir.File("pub.pem"), SignatureCheck.PublicKeyPem(key.SubjectPublicKeyInfo));

        var output = algorithm == KeyAlgorithm.Ed25519
            ? Tools.OpenSsl("pkeyutl", "-verify", "-pubin", "-inkey", dir.File("pub.pem"), "-rawin", "-in", dir.File("data"), "-sigfile", dir.File("sig"))
            : Tools.OpenSsl("dgst", "-" + Digest(algorithm), "-verify", dir.File("pub.pem"), "-signature", dir.File("sig"), dir.File("data"));

        output.Should().Contain("Verified");
        // A changed message must not verify: the check above can fail.
        File.WriteAllBytes(dir.File("data"), [.. data, 0]);
        var (code, _, _) = algorithm == KeyAlgorithm.Ed25519
            ? Tools.Run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", dir.File("pub.pem"), "-rawin", "-in", dir.File("data"), "-sigfile", dir.File("sig"))
            : Tools.Run("openssl", "dgst", "-" + Digest(algorithm), "-verify", dir.File("pub.pem"), "-signature", dir.File("sig"), dir.File("data"));
        code.Should().NotBe(0);
    }

    [Test]
    public async Task Signatures_of_openssl_generated_keys_verify_with_openssl()
    {
        using var dir = new TempDirectory();
        Tools.OpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", dir.File("key.pem"));
        Tools.OpenSsl("pkey", "-in", dir.File("key.pem"), "-pubout", "-out", dir.File("pub.pem"));
        using var key = PemPrivateKeyReader.Parse(File.ReadAllText(dir.File("key.pem")));
        var data = new byte[10_000];
        Random.Shared.NextBytes(data);
        File.WriteAllBytes(dir.File("data"), data);
        File.WriteAllBytes(dir.File("sig"), await key.Signer.SignAsync(data));

        Tools.OpenSsl("dgst", "-sha384", "-verify", dir.File("pub.pem"), "-signature", dir.File("sig"), dir.File("data"))
            .Should().Contain("Verified");
    }

    [TestCaseSource(nameof(Algorithms))]
    public async Task Signature_verifies_independently_and_only_for_the_signed_data(KeyAlgorithm algorithm)
    {
        using var key = SoftPrivateKey.Generate(algorithm);
        var data = "hello"u8.ToArray();

        var signature = await key.Signer.SignAsync(data);

        SignatureCheck.Verify(key.SubjectPublicKeyInfo, algorithm, data, signature).Should().BeTrue();
        SignatureCheck.Verify(key.SubjectPublicKeyInfo, algorithm, "hellO"u8.ToArray(), signature).Should().BeFalse();
    }

    [TestCaseSource(nameof(Algorithms))]
    public void Concurrent_signing_produces_valid_signatures(KeyAlgorithm algorithm)
    {
        using var key = SoftPrivateKey.Generate(algorithm);
        var count = algorithm == KeyAlgorithm.EcdsaP256 || algorithm == KeyAlgorithm.Ed25519 ? 2000 : 300; // P-384, P-521 and RSA are slow in OpenSSL
        var signatures = new byte[count][];

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(8, Environment.ProcessorCount * 2) }, i =>
            signatures[i] = key.Signer.SignAsync(BitConverter.GetBytes(i)).AsTask().Result);

        for (var i = 0; i < count; i++)
        {
            SignatureCheck.Verify(key.SubjectPublicKeyInfo, algorithm, BitConverter.GetBytes(i), signatures[i])
                .Should().BeTrue($"signature {i} must verify");
        }
    }

    [TestCaseSource(nameof(Algorithms))]
    public async Task Signing_after_dispose_throws(KeyAlgorithm algorithm)
    {
        var key = SoftPrivateKey.Generate(algorithm);
        key.Dispose();
        key.Dispose();

        var sign = () => key.Signer.SignAsync(new byte[1]).AsTask();

        await sign.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Test]
    public async Task Cancelled_signing_throws()
    {
        using var key = SoftPrivateKey.Generate(KeyAlgorithm.Ed25519);

        var sign = () => key.Signer.SignAsync(new byte[1], new CancellationToken(canceled: true)).AsTask();

        await sign.Should().ThrowAsync<OperationCanceledException>();
    }

    [TestCase(1024)]
    [TestCase(8192)]
    [TestCase(2049)]
    public void Unsupported_rsa_sizes_are_not_generated(int bits)
    {
        var generate = () => SoftPrivateKey.Generate(KeyAlgorithm.Rsa, bits);

        generate.Should().Throw<Smallstep.Pki.Errors.PkiException>().WithMessage($"RSA key size {bits} is not supported*");
    }

    private static string Digest(KeyAlgorithm algorithm) => algorithm switch
    {
        _ when algorithm == KeyAlgorithm.EcdsaP384 => "sha384",
        _ when algorithm == KeyAlgorithm.EcdsaP521 => "sha512",
        _ => "sha256",
    };
}
