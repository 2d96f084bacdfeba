using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Tests.Kms.Soft;

/// <summary>softkms key addressing, caching, passwords, creation and decryption.</summary>
public class SoftKeyManagerTests
{
    private const string Password = "fixture-test-password";

    private static byte[] IntermediateSpki()
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Fixtures.Path("pki", "certs", "intermediate_ca.crt"));
        return certificate.PublicKey.ExportSubjectPublicKeyInfo();
    }

    private static SoftKeyManager FixtureManager(ConcurrentBag<string>? asked = null, Func<string, string?>? passwords = null) => new(new SoftKmsOptions
    {
        BaseDirectory = Fixtures.Path("pki"),
        PasswordProvider = uri =>
        {
            asked?.Add(uri);
            return passwords is null ? Password : passwords(uri);
        },
    });

    [TestCase("secrets/intermediate_ca_key")]
    [TestCase("softkms:path=secrets/intermediate_ca_key")]
    [TestCase("SOFTKMS:path=secrets%2Fintermediate_ca_key")]
    [TestCase("softkms:secrets/intermediate_ca_key")]
    [TestCase("softkms:foo=bar;path=secrets/intermediate_ca_key")]
    [TestCase("softkms:?path=secrets/intermediate_ca_key")]
    public async Task Key_uris_in_step_syntax_open_the_file(string keyUri)
    {
        var asked = new ConcurrentBag<string>();
        using var manager = FixtureManager(asked);

        var signer = await manager.GetSignerAsync(keyUri);

        signer.SubjectPublicKeyInfo.ToArray().Should().Equal(IntermediateSpki());
        asked.Should().Equal(keyUri);
    }

    [Test]
    public async Task Absolute_and_percent_encoded_paths_work()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("my keys"));
        File.Copy(Fixtures.Path("pki", "secrets", "root_ca_key"), dir.File("my keys/root key"));
        using var manager = new SoftKeyManager(new SoftKmsOptions { PasswordProvider = _ => Password });

        var plain = await manager.GetPublicKeyAsync(dir.File("my keys/root key"));
        var uri = await manager.GetPublicKeyAsync("softkms:path=" + Uri.EscapeDataString(dir.File("my keys/root key")));
        var slash = await manager.GetPublicKeyAsync("softkms:" + dir.File("my keys/root key"));

        uri.ToArray().Should().Equal(plain.ToArray());
        slash.ToArray().Should().Equal(plain.ToArray());
    }

    [Test]
    public async Task Signers_are_cached_and_the_password_is_asked_once_even_under_concurrency()
    {
        var asked = new ConcurrentBag<string>();
        using var manager = FixtureManager(asked);

        var signers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await manager.GetSignerAsync("secrets/root_ca_key"))));
        var viaUri = await manager.GetSignerAsync("softkms:path=secrets/root_ca_key");

        signers.Distinct().Should().ContainSingle();
        viaUri.Should().BeSameAs(signers[0]);
        asked.Should().ContainSingle();
    }

    [Test]
    public async Task A_failed_open_is_not_cached()
    {
        var attempts = 0;
        using var manager = FixtureManager(passwords: _ => Interlocked.Increment(ref attempts) == 1 ? "wrong" : Password);

        var first = async () => await manager.GetSignerAsync("secrets/root_ca_key");
        await first.Should().ThrowAsync<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest && e.Message.Contains("incorrect password"));

        var second = await manager.GetSignerAsync("secrets/root_ca_key");
        second.Algorithm.Should().Be(KeyAlgorithm.EcdsaP256);
    }

    [Test]
    public async Task Errors_name_the_problem()
    {
        using var manager = FixtureManager(passwords: _ => null);

        (await Throws(() => manager.GetSignerAsync("secrets/missing_key"))).Kind.Should().Be(PkiErrorKind.NotFound);
        (await Throws(() => manager.GetSignerAsync("secrets/root_ca_key"))).Message.Should().Contain("password protected").And.Contain("root_ca_key");
        (await Throws(() => manager.GetSignerAsync("pkcs11:token=ca;object=root"))).Kind.Should().Be(PkiErrorKind.NotImplemented);
        (await Throws(() => manager.GetSignerAsync("softkms:path="))).Kind.Should().Be(PkiErrorKind.BadRequest);
        (await Throws(() => manager.GetSignerAsync("certs/root_ca.crt"))).Message.Should().Contain("not a private key");
    }

    [Test]
    public async Task Public_keys_of_certificates_and_public_key_files_need_no_password()
    {
        var asked = new ConcurrentBag<string>();
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("pub.pem"), SignatureCheck.PublicKeyPem(IntermediateSpki()));
        using var manager = FixtureManager(asked);

        (await manager.GetPublicKeyAsync("certs/intermediate_ca.crt")).ToArray().Should().Equal(IntermediateSpki());
        (await manager.GetPublicKeyAsync(dir.File("pub.pem"))).ToArray().Should().Equal(IntermediateSpki());
        asked.Should().BeEmpty();
        (await manager.GetPublicKeyAsync("secrets/intermediate_ca_key")).ToArray().Should().Equal(IntermediateSpki());
        asked.Should().ContainSingle();
    }

    [TestCase(nameof(KeyAlgorithm.EcdsaP256), "ec")]
    [TestCase(nameof(KeyAlgorithm.Rsa), "rsa")]
    [TestCase(nameof(KeyAlgorithm.Ed25519), "pkey")]
    public async Task Created_keys_are_0600_files_openssl_reads(KeyAlgorithm algorithm, string command)
    {
        using var dir = new TempDirectory();
        var asked = new ConcurrentBag<string>();
        using var manager = new SoftKeyManager(new SoftKmsOptions { BaseDirectory = dir.Path, PasswordProvider = n => { asked.Add(n); return "new-key-password"; } });

        var created = await manager.CreateKeyAsync(new CreateKeyRequest("secrets/new_key", algorithm, RsaBits: 3072));

        created.KeyUri.Should().Be("secrets/new_key");
        asked.Should().Equal("secrets/new_key");
        var path = dir.File("secrets/new_key");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.GetUnixFileMode(dir.File("secrets")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Directory.GetFiles(dir.File("secrets")).Should().Equal(path);
        Tools.OpenSsl(command, "-in", path, "-passin", "pass:new-key-password", "-pubout", "-outform", "DER", "-out", dir.File("pub.der"));
        File.ReadAllBytes(dir.File("pub.der")).Should().Equal(created.SubjectPublicKeyInfo.ToArray());
        if (algorithm == KeyAlgorithm.Rsa)
        {
            Tools.OpenSsl("rsa", "-in", path, "-passin", "pass:new-key-password", "-noout", "-text").Should().Contain("3072 bit");
        }
        using var reader = new SoftKeyManager(new SoftKmsOptions { BaseDirectory = dir.Path, PasswordProvider = _ => "new-key-password" });
        (await reader.GetSignerAsync("secrets/new_key")).SubjectPublicKeyInfo.ToArray().Should().Equal(created.SubjectPublicKeyInfo.ToArray());
    }

    [Test]
    public async Task Creating_needs_a_password_and_never_overwrites()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("existing"), "keep me");
        using var withoutPassword = new SoftKeyManager(new SoftKmsOptions { BaseDirectory = dir.Path });
        using var manager = new SoftKeyManager(new SoftKmsOptions { BaseDirectory = dir.Path, PasswordProvider = _ => "pw" });

        (await Throws(() => withoutPassword.CreateKeyAsync(new CreateKeyRequest("k", KeyAlgorithm.EcdsaP256)))).Message.Should().Contain("needs a password");
        (await Throws(() => manager.CreateKeyAsync(new CreateKeyRequest("existing", KeyAlgorithm.EcdsaP256)))).Message.Should().Contain("already exists");
        File.ReadAllText(dir.File("existing")).Should().Be("keep me");
        File.Exists(dir.File("k")).Should().BeFalse();
    }

    [Test]
    public async Task Rsa_keys_decrypt_pkcs1_v15_ciphertexts()
    {
        using var dir = new TempDirectory();
        using var manager = new SoftKeyManager(new SoftKmsOptions { BaseDirectory = dir.Path, PasswordProvider = _ => "pw" });
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("rsa.key", KeyAlgorithm.Rsa));
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(created.SubjectPublicKeyInfo.Span, out _);
        var secret = RandomNumberGenerator.GetBytes(32);

        var plain = await manager.DecryptAsync("rsa.key", rsa.Encrypt(secret, RSAEncryptionPadding.Pkcs1));

        plain.Should().Equal(secret);
        (await Throws(() => manager.DecryptAsync("rsa.key", new byte[10]))).Kind.Should().Be(PkiErrorKind.BadRequest);
        await manager.CreateKeyAsync(new CreateKeyRequest("ec.key", KeyAlgorithm.EcdsaP256));
        (await Throws(() => manager.DecryptAsync("ec.key", new byte[256]))).Message.Should().Contain("needs an RSA key");
    }

    [Test]
    public async Task Disposed_manager_refuses_work()
    {
        var manager = FixtureManager();
        var signer = await manager.GetSignerAsync("secrets/root_ca_key");
        manager.Dispose();
        manager.Dispose();

        var open = async () => await manager.GetSignerAsync("secrets/root_ca_key");
        var sign = async () => await signer.SignAsync(new byte[1]);

        await open.Should().ThrowAsync<ObjectDisposedException>();
        await sign.Should().ThrowAsync<ObjectDisposedException>();
    }

    private static async Task<PkiException> Throws<T>(Func<ValueTask<T>> action)
    {
        var call = async () => await action();
        return (await call.Should().ThrowAsync<PkiException>()).Which;
    }
}
