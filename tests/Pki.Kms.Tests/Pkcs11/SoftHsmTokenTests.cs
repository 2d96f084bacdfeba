using System.Security.Cryptography;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Tests.Kms.Pkcs11;

/// <summary>
/// The PKCS#11 manager against a real SoftHSM2 token: keys made by OpenSC's pkcs11-tool, openssl
/// checking our signatures, RSA decryption, start-up errors, a token reset, concurrent signing
/// through a small session pool.
/// </summary>
public class SoftHsmTokenTests
{
    private SoftHsmManagers _managers = null!;

    [OneTimeSetUp]
    public void StartToken() => _managers = new SoftHsmManagers();

    [OneTimeTearDown]
    public async Task StopToken() => await _managers.DisposeAsync();

    [TestCase("EC:prime256v1", "a1", "EcdsaP256")]
    [TestCase("EC:secp384r1", "a2", "EcdsaP384")]
    [TestCase("rsa:2048", "a3", "Rsa")]
    public async Task Keys_made_by_pkcs11_tool_are_found_by_id_and_by_label_and_openssl_verifies_our_signatures(string keyType, string id, string algorithmName)
    {
        var label = "external-" + id;
        _managers.PkcsToolKeyPair(keyType, id, label);
        var manager = _managers.Open();

        var byId = await manager.GetSignerAsync($"pkcs11:id={id}");
        var byLabel = await manager.GetSignerAsync($"pkcs11:object={label}");
        var byBoth = await manager.GetSignerAsync($"pkcs11:id={id};object={label}");

        byId.Algorithm.Name.Should().Be(algorithmName);
        byLabel.SubjectPublicKeyInfo.ToArray().Should().Equal(byId.SubjectPublicKeyInfo.ToArray());
        byBoth.SubjectPublicKeyInfo.ToArray().Should().Equal(byId.SubjectPublicKeyInfo.ToArray());
        var data = "signed by SoftHSM2"u8.ToArray();
        var signature = await byLabel.SignAsync(data);
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("data"), data);
        File.WriteAllBytes(dir.File("sig"), signature);
        File.WriteAllText(dir.File("pub.pem"), PemEncoding.WriteString("PUBLIC KEY", byId.SubjectPublicKeyInfo.Span));
        var digest = algorithmName == "EcdsaP384" ? "-sha384" : "-sha256";
        Tools.OpenSsl("dgst", digest, "-verify", dir.File("pub.pem"), "-signature", dir.File("sig"), dir.File("data")).Should().Contain("Verified OK");
    }

    [Test]
    public async Task A_label_that_matches_but_an_id_that_does_not_finds_nothing()
    {
        var manager = _managers.Open();
        await manager.CreateKeyAsync(new CreateKeyRequest("pkcs11:id=b1;object=mismatch", KeyAlgorithm.EcdsaP256));

        var open = async () => await manager.GetSignerAsync("pkcs11:id=b2;object=mismatch");

        (await open.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("id b2").And.Contain("label \"mismatch\"");
    }

    [Test]
    public async Task Rsa_keys_decrypt_pkcs1_v1_5_for_scep_and_ec_keys_refuse()
    {
        var manager = _managers.Open();
        var rsaKey = await manager.CreateKeyAsync(new CreateKeyRequest("pkcs11:id=c1;object=decrypter", KeyAlgorithm.Rsa, 2048));
        var ecKey = await manager.CreateKeyAsync(new CreateKeyRequest("pkcs11:id=c2;object=not-a-decrypter", KeyAlgorithm.EcdsaP256));
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(rsaKey.SubjectPublicKeyInfo.Span, out _);
        var secret = RandomNumberGenerator.GetBytes(32);

        var plain = await manager.DecryptAsync(rsaKey.KeyUri, rsa.Encrypt(secret, RSAEncryptionPadding.Pkcs1));
        var garbage = async () => await manager.DecryptAsync(rsaKey.KeyUri, new byte[256]);
        var ec = async () => await manager.DecryptAsync(ecKey.KeyUri, new byte[256]);

        plain.Should().Equal(secret);
        var refused = (await garbage.Should().ThrowAsync<PkiException>()).Which;
        refused.Kind.Should().Be(PkiErrorKind.BadRequest, refused.Message);
        (await ec.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("RSA");
    }

    [Test]
    public async Task Signing_goes_on_after_the_token_drops_every_session_and_the_login()
    {
        var manager = _managers.Open();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("pkcs11:id=d1;object=reset", KeyAlgorithm.EcdsaP256));
        var signer = await manager.GetSignerAsync(created.KeyUri);
        await signer.SignAsync("before"u8.ToArray());

        // C_CloseAllSessions closes this application's sessions and logs the user out (PKCS#11 v2.40 §5.6), as a token reset does.
        manager.Token.Slot.CloseAllSessions();
        var signature = await signer.SignAsync("after"u8.ToArray());

        SignatureCheck.Verify(created.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP256, "after"u8.ToArray(), signature).Should().BeTrue();
    }

    [Test]
    public async Task Two_sessions_serve_many_concurrent_signatures()
    {
        var manager = _managers.Track(SoftHsmManagers.Open(new KmsConfig { Type = "pkcs11", Uri = $"pkcs11:module-path={SoftHsm.ModulePath};token={_managers.Token};max-sessions=2?pin-value={SoftHsm.UserPin}" }));
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("pkcs11:id=e1;object=pool", KeyAlgorithm.Rsa, 2048));
        var signer = await manager.GetSignerAsync(created.KeyUri);

        var signatures = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => signer.SignAsync(BitConverter.GetBytes(i)).AsTask())));

        signatures.Select((s, i) => SignatureCheck.Verify(created.SubjectPublicKeyInfo, KeyAlgorithm.Rsa, BitConverter.GetBytes(i), s)).Should().AllBeEquivalentTo(true);
    }

    [Test]
    public void A_wrong_pin_stops_start_up_naming_kms_uri_and_the_module_reason_but_not_the_pin()
    {
        // A token no manager of this process is logged in to: PKCS#11 login state is per application,
        // so a second login on a logged-in token answers CKR_USER_ALREADY_LOGGED_IN without checking the PIN.
        var untouched = _managers.Hsm.NewToken();

        var open = () => SoftHsmManagers.Open(new KmsConfig { Type = "pkcs11", Uri = SoftHsm.KmsUri(untouched, "99999999") });

        var error = open.Should().Throw<CaConfigException>().Which;
        error.Errors.Single().Field.Should().Be("kms.uri");
        error.Message.Should().Contain("CKR_PIN_INCORRECT").And.NotContain("99999999");
    }

    [Test]
    public void A_missing_token_lists_the_tokens_present()
    {
        var open = () => SoftHsmManagers.Open(new KmsConfig { Type = "pkcs11", Uri = SoftHsm.KmsUri("no-such-token") });

        open.Should().Throw<CaConfigException>().Which.Message.Should().Contain("no token \"no-such-token\"").And.Contain(_managers.Token);
    }

    [Test]
    public void A_missing_module_is_named()
    {
        var open = () => SoftHsmManagers.Open(new KmsConfig { Type = "pkcs11", Uri = "pkcs11:module-path=/nonexistent/libpkcs11.so;token=x?pin-value=1" });

        open.Should().Throw<CaConfigException>().Which.Message.Should().Contain("kms.uri").And.Contain("/nonexistent/libpkcs11.so does not exist");
    }

    [Test]
    public void A_file_that_is_not_a_pkcs11_module_is_refused_with_the_loader_reason()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("fake.so"), "not a library");

        var open = () => SoftHsmManagers.Open(new KmsConfig { Type = "pkcs11", Uri = $"pkcs11:module-path={dir.File("fake.so")};token=x" });

        open.Should().Throw<CaConfigException>().Which.Message.Should().Contain("cannot load PKCS#11 module");
    }

    [Test]
    public async Task Ed25519_and_small_rsa_keys_are_refused()
    {
        var manager = _managers.Open();

        var ed = async () => await manager.CreateKeyAsync(new CreateKeyRequest("pkcs11:id=f1;object=ed", KeyAlgorithm.Ed25519));
        var small = async () => await manager.CreateKeyAsync(new CreateKeyRequest("pkcs11:id=f2;object=small", KeyAlgorithm.Rsa, 1024));

        (await ed.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.BadRequest);
        (await small.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }
}
