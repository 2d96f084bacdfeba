using System.Security.Cryptography;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Azure;

namespace Smallstep.Pki.Tests.Kms.Azure;

/// <summary>The Key Vault key manager against the local REST and Entra server: credentials, algorithms, decryption, and each failure's message.</summary>
public class AzureKeyVaultManagerTests
{
    private LocalAzureKeyVault _vault = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _vault = await LocalAzureKeyVault.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _vault.DisposeAsync();

    [Test]
    public async Task Signs_with_a_client_secret_token_and_turns_raw_ecdsa_into_der()
    {
        await using var manager = _vault.Manager();
        var signaturesBefore = _vault.Server.Signatures;
        var created = await manager.CreateKeyAsync(new CreateKeyRequest(_vault.NewKeyName(), KeyAlgorithm.EcdsaP521));
        var signer = await manager.GetSignerAsync(created.KeyUri);

        var signature = await signer.SignAsync("tbs"u8.ToArray());

        created.KeyUri.Should().MatchRegex("^azurekms:name=key-[0-9]+;vault=vault-a\\?version=[0-9a-f]{32}$");
        signature[0].Should().Be(0x30, "a DER SEQUENCE, not JOSE's r || s");
        SignatureCheck.Verify(signer.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP521, "tbs"u8.ToArray(), signature).Should().BeTrue();
        _vault.Server.Signatures.Should().Be(signaturesBefore + 1);
        _vault.Server.TokensIssued.Should().BeGreaterThan(0);
    }

    [Test]
    public async Task Without_a_version_the_latest_key_is_used()
    {
        await using var manager = _vault.Manager();
        var name = _vault.NewKeyName();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest(name, KeyAlgorithm.EcdsaP256));

        (await manager.GetPublicKeyAsync(name)).ToArray().Should().Equal(created.SubjectPublicKeyInfo.ToArray());
    }

    [Test]
    public async Task A_signer_opened_without_a_version_keeps_signing_with_that_version_after_a_rotation()
    {
        await using var manager = _vault.Manager();
        await manager.CreateKeyAsync(new CreateKeyRequest("azurekms:name=rotated;vault=vault-c", KeyAlgorithm.EcdsaP256));
        var signer = await manager.GetSignerAsync("azurekms:name=rotated;vault=vault-c");
        _vault.Server.AddEcVersion("vault-c", "rotated");

        var signature = await signer.SignAsync("after rotation"u8.ToArray());

        SignatureCheck.Verify(signer.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP256, "after rotation"u8.ToArray(), signature).Should().BeTrue();
        (await manager.GetPublicKeyAsync("azurekms:name=rotated;vault=vault-c")).ToArray().Should().NotEqual(signer.SubjectPublicKeyInfo.ToArray());
    }

    [Test]
    public async Task The_hsm_flag_creates_hsm_key_types_and_the_kms_uri_gives_the_default_vault()
    {
        await using var manager = _vault.Manager(_vault.KmsUri(extra: ";vault=vault-b;hsm=true"));

        await manager.CreateKeyAsync(new CreateKeyRequest("azurekms:name=hsm-ec", KeyAlgorithm.EcdsaP256));
        await manager.CreateKeyAsync(new CreateKeyRequest("azurekms:name=soft-rsa?hsm=false", KeyAlgorithm.Rsa, 3072));

        _vault.Server.KeyType("vault-b", "hsm-ec").Should().Be("EC-HSM");
        _vault.Server.KeyType("vault-b", "soft-rsa").Should().Be("RSA");
    }

    [Test]
    public async Task Rsa_keys_decrypt_pkcs1_v15_for_scep()
    {
        await using var manager = _vault.Manager();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest(_vault.NewKeyName(), KeyAlgorithm.Rsa));
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(created.SubjectPublicKeyInfo.Span, out _);
        var secret = RandomNumberGenerator.GetBytes(32);

        var plaintext = await ((IKeyDecrypter)manager).DecryptAsync(created.KeyUri, rsa.Encrypt(secret, RSAEncryptionPadding.Pkcs1));
        var latest = await ((IKeyDecrypter)manager).DecryptAsync(created.KeyUri[..created.KeyUri.IndexOf('?')], rsa.Encrypt(secret, RSAEncryptionPadding.Pkcs1));

        plaintext.Should().Equal(secret);
        latest.Should().Equal(secret, "without a version the latest one decrypts");
    }

    [Test]
    public async Task Signs_concurrently()
    {
        await using var manager = _vault.Manager();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest(_vault.NewKeyName(), KeyAlgorithm.EcdsaP256));
        var signer = await manager.GetSignerAsync(created.KeyUri);

        var signatures = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => signer.SignAsync(BitConverter.GetBytes(i)).AsTask()));

        signatures.Select((s, i) => SignatureCheck.Verify(signer.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP256, BitConverter.GetBytes(i), s)).Should().AllBeEquivalentTo(true);
    }

    [Test]
    public async Task Ed25519_is_refused_before_any_call()
    {
        await using var manager = _vault.Manager();

        var create = async () => await manager.CreateKeyAsync(new CreateKeyRequest(_vault.NewKeyName(), KeyAlgorithm.Ed25519));

        (await create.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.NotImplemented);
    }

    [Test]
    public async Task A_missing_key_is_NotFound_with_key_vaults_reason()
    {
        await using var manager = _vault.Manager();

        var open = async () => await manager.GetSignerAsync("azurekms:name=absent;vault=vault-a");

        var error = (await open.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.NotFound);
        error.Message.Should().StartWith("keyVault GetKey failed: KeyNotFound: A key with (name/id) absent was not found");
    }

    [Test]
    public async Task A_principal_without_a_role_gets_Forbidden()
    {
        await using var manager = _vault.Manager(_vault.KmsUri(_vault.Server.AddApplication(permitted: false)));

        var open = async () => await manager.GetPublicKeyAsync("azurekms:name=any;vault=vault-a");

        var error = (await open.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.Forbidden);
        error.Message.Should().Contain("Forbidden: Caller is not authorized");
    }

    [Test]
    public async Task A_wrong_client_secret_is_Unauthorized_naming_the_fields_without_the_secret()
    {
        const string wrong = "wrong-secret-value-1234";
        await using var manager = _vault.Manager(_vault.KmsUri(clientSecret: wrong));

        var open = async () => await manager.GetPublicKeyAsync("azurekms:name=any;vault=vault-a");

        var error = (await open.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.Unauthorized);
        error.Message.Should().Contain("client-secret").And.Contain("AADSTS7000215").And.NotContain(wrong).And.NotContain(_vault.Application.ClientSecret);
    }

    [Test]
    public async Task An_unknown_client_id_is_Unauthorized_with_entras_reason()
    {
        var stranger = _vault.Application with { ClientId = Guid.NewGuid().ToString() };
        await using var manager = _vault.Manager(_vault.KmsUri(stranger));

        var open = async () => await manager.GetPublicKeyAsync("azurekms:name=any;vault=vault-a");

        (await open.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("AADSTS700016").And.NotContain(stranger.ClientSecret);
    }

    [TestCase("azurekms:environment=mars", "unknown key vault cloud environment")]
    [TestCase("azurekms:aad-endpoint=http%3A%2F%2Fplain.example", "aad-endpoint must be an https URL")]
    [TestCase("awskms:region=us-east-1", "kms.uri is not a azurekms: URI")]
    public void A_bad_kms_uri_is_a_BadRequest_naming_it(string uri, string reason)
    {
        var create = () => AzureKeyVaultManager.Create(new KmsConfig { Type = "azurekms", Uri = uri }, _vault.Options());

        create.Should().Throw<PkiException>().Which.Message.Should().Contain(reason);
    }

    [Test]
    public async Task An_unreachable_vault_says_so()
    {
        var options = _vault.Options();
        options.VaultUrlTemplate = "https://127.0.0.1:1/{vault}/";
        await using var manager = AzureKeyVaultManager.Create(new KmsConfig { Type = "azurekms", Uri = _vault.KmsUri() }, options);

        var open = async () => await manager.GetPublicKeyAsync("azurekms:name=any;vault=vault-a");

        (await open.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("https://127.0.0.1:1 is unreachable");
    }
}
