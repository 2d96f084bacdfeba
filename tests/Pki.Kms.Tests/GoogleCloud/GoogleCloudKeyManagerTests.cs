using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.GoogleCloud;

namespace Smallstep.Pki.Tests.Kms.GoogleCloud;

/// <summary>The Cloud KMS key manager against the local REST server: credentials, algorithms, creation, and each failure's message.</summary>
public class GoogleCloudKeyManagerTests
{
    private LocalGoogleCloudKms _kms = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _kms = await LocalGoogleCloudKms.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _kms.DisposeAsync();

    [Test]
    public async Task Signs_through_asymmetricSign_with_a_token_from_the_service_account_key_file()
    {
        await using var manager = await _kms.ManagerAsync();
        var tokensBefore = _kms.Server.TokensIssued;
        var signaturesBefore = _kms.Server.Signatures;
        var created = await manager.CreateKeyAsync(new CreateKeyRequest(_kms.NewCryptoKeyName(), KeyAlgorithm.EcdsaP256));
        var signer = await manager.GetSignerAsync(created.KeyUri);

        var signature = await signer.SignAsync("tbs"u8.ToArray());

        created.KeyUri.Should().StartWith("cloudkms:projects/local-test/locations/global/keyRings/").And.EndWith("/cryptoKeyVersions/1");
        SignatureCheck.Verify(signer.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP256, "tbs"u8.ToArray(), signature).Should().BeTrue();
        _kms.Server.TokensIssued.Should().Be(tokensBefore + 1, "one token is fetched and then reused");
        _kms.Server.Signatures.Should().Be(signaturesBefore + 1);
    }

    [Test]
    public async Task Opens_a_key_by_its_plain_resource_name_as_ca_json_gives_it()
    {
        await using var manager = await _kms.ManagerAsync();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest(_kms.NewCryptoKeyName(), KeyAlgorithm.EcdsaP384));
        var plain = created.KeyUri["cloudkms:".Length..];

        var signer = await manager.GetSignerAsync(plain);

        signer.Algorithm.Should().Be(KeyAlgorithm.EcdsaP384);
        (await manager.GetPublicKeyAsync("cloudkms:resource=" + plain)).ToArray().Should().Equal(created.SubjectPublicKeyInfo.ToArray());
    }

    [Test]
    public async Task Rsa_3072_and_4096_keys_are_created_as_step_maps_the_bits()
    {
        await using var manager = await _kms.ManagerAsync();
        foreach (var bits in new[] { 3072, 4096 })
        {
            var created = await manager.CreateKeyAsync(new CreateKeyRequest(_kms.NewCryptoKeyName(), KeyAlgorithm.Rsa, bits));
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(created.SubjectPublicKeyInfo.Span, out _);
            rsa.KeySize.Should().Be(bits);
        }
    }

    [TestCase("RSA_SIGN_PSS_2048_SHA256", "2.16.840.1.101.3.4.2.1")]
    [TestCase("RSA_SIGN_PSS_4096_SHA512", "2.16.840.1.101.3.4.2.3")]
    public async Task Pss_keys_sign_RSASSA_PSS_and_name_it_in_the_algorithm_identifier(string algorithm, string hashOid)
    {
        var version = _kms.Server.CreateKeyVersion(_kms.NewCryptoKeyName(), algorithm);
        await using var manager = await _kms.ManagerAsync();
        var signer = await manager.GetSignerAsync(version);
        var data = "pss"u8.ToArray();

        var signature = await signer.SignAsync(data);

        signer.Algorithm.Name.Should().Be("RsaPss");
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(signer.SubjectPublicKeyInfo.Span, out _);
        var hash = hashOid.EndsWith(".3", StringComparison.Ordinal) ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pss).Should().BeTrue();
        var identifier = new AsnReader(signer.SignatureAlgorithmIdentifier, AsnEncodingRules.DER).ReadSequence();
        identifier.ReadObjectIdentifier().Should().Be("1.2.840.113549.1.1.10");
        var parameters = identifier.ReadSequence();
        parameters.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence().ReadObjectIdentifier().Should().Be(hashOid);
    }

    [Test]
    public async Task Rsa_sha512_pkcs1_keys_sign_with_sha512WithRSAEncryption()
    {
        var version = _kms.Server.CreateKeyVersion(_kms.NewCryptoKeyName(), "RSA_SIGN_PKCS1_4096_SHA512");
        await using var manager = await _kms.ManagerAsync();
        var signer = await manager.GetSignerAsync(version);

        var signature = await signer.SignAsync("x"u8.ToArray());

        signer.Algorithm.Should().Be(KeyAlgorithm.Rsa);
        new AsnReader(signer.SignatureAlgorithmIdentifier, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier().Should().Be("1.2.840.113549.1.1.13");
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(signer.SubjectPublicKeyInfo.Span, out _);
        rsa.VerifyData("x"u8.ToArray(), signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1).Should().BeTrue();
    }

    [Test]
    public async Task Signs_concurrently()
    {
        await using var manager = await _kms.ManagerAsync();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest(_kms.NewCryptoKeyName(), KeyAlgorithm.EcdsaP256));
        var signer = await manager.GetSignerAsync(created.KeyUri);

        var signatures = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => signer.SignAsync(BitConverter.GetBytes(i)).AsTask()));

        signatures.Select((s, i) => SignatureCheck.Verify(signer.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP256, BitConverter.GetBytes(i), s)).Should().AllBeEquivalentTo(true);
    }

    [Test]
    public async Task Hsm_keys_are_polled_on_the_injected_clock_until_enabled()
    {
        var clock = new RecordingTimeProvider();
        var options = _kms.Options(TimeSpan.FromSeconds(2));
        options.ProtectionLevel = "HSM";
        _kms.Server.HsmPendingChecks = 3;
        await using var manager = await _kms.ManagerAsync(options: options, time: clock);

        var created = await manager.CreateKeyAsync(new CreateKeyRequest(_kms.NewCryptoKeyName(), KeyAlgorithm.EcdsaP256));

        clock.Waits.Should().Equal(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        _kms.Server.KeyVersionState(created.KeyUri["cloudkms:".Length..]).Should().Be("ENABLED");
    }

    [Test]
    public async Task A_key_that_stays_pending_fails_after_the_bounded_number_of_checks()
    {
        var clock = new RecordingTimeProvider();
        var options = _kms.Options();
        options.ProtectionLevel = "hsm";
        options.KeyGenerationPollAttempts = 4;
        _kms.Server.HsmPendingChecks = 100;
        await using var manager = await _kms.ManagerAsync(options: options, time: clock);

        var create = async () => await manager.CreateKeyAsync(new CreateKeyRequest(_kms.NewCryptoKeyName(), KeyAlgorithm.EcdsaP256));

        (await create.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("still PENDING_GENERATION after 4 checks");
        clock.Waits.Should().HaveCount(3);
    }

    [Test]
    public async Task Existing_key_rings_are_reused()
    {
        await using var manager = await _kms.ManagerAsync();
        var first = _kms.NewCryptoKeyName();
        var sibling = first[..first.LastIndexOf('/')] + "/sibling";
        await manager.CreateKeyAsync(new CreateKeyRequest(first, KeyAlgorithm.EcdsaP256));

        var created = await manager.CreateKeyAsync(new CreateKeyRequest(sibling, KeyAlgorithm.EcdsaP256));

        created.KeyUri.Should().Be("cloudkms:" + sibling + "/cryptoKeyVersions/1");
    }

    [Test]
    public async Task Algorithms_cloud_kms_lacks_are_refused_before_any_call()
    {
        await using var manager = await _kms.ManagerAsync();

        foreach (var request in new[] { new CreateKeyRequest(_kms.NewCryptoKeyName(), KeyAlgorithm.EcdsaP521), new CreateKeyRequest(_kms.NewCryptoKeyName(), KeyAlgorithm.Ed25519), new CreateKeyRequest(_kms.NewCryptoKeyName(), KeyAlgorithm.Rsa, 1024) })
        {
            var create = async () => await manager.CreateKeyAsync(request);
            (await create.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.NotImplemented);
        }
    }

    [Test]
    public async Task A_missing_key_is_NotFound_with_the_service_reason()
    {
        await using var manager = await _kms.ManagerAsync();

        var open = async () => await manager.GetSignerAsync("projects/local-test/locations/global/keyRings/none/cryptoKeys/none/cryptoKeyVersions/1");

        var error = (await open.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.NotFound);
        error.Message.Should().Be("cloudKMS GetPublicKey failed: NOT_FOUND: CryptoKeyVersion projects/local-test/locations/global/keyRings/none/cryptoKeys/none/cryptoKeyVersions/1 not found.");
    }

    [Test]
    public async Task An_account_without_kms_permissions_gets_Forbidden_with_the_service_reason()
    {
        var file = _kms.Server.AddServiceAccount("no-role", permitted: false).WriteKeyFile(_kms.Directory);
        await using var manager = await _kms.ManagerAsync(file);

        var open = async () => await manager.GetPublicKeyAsync("projects/local-test/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1");

        var error = (await open.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.Forbidden);
        error.Message.Should().Contain("PERMISSION_DENIED");
    }

    [Test]
    public async Task A_service_account_the_token_endpoint_refuses_is_Unauthorized_naming_the_field_without_secrets()
    {
        var account = _kms.Server.AddServiceAccount("renamed");
        var json = JsonNode.Parse(account.KeyFileJson())!.AsObject();
        json["client_email"] = "unknown@local-test.iam.gserviceaccount.com";
        var file = Path.Combine(_kms.Directory, "unknown.json");
        await File.WriteAllTextAsync(file, json.ToJsonString());
        await using var manager = await _kms.ManagerAsync(file);

        var open = async () => await manager.GetPublicKeyAsync("projects/local-test/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1");

        var error = (await open.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.Unauthorized);
        error.Message.Should().Contain("kms.uri (credentials-file)").And.Contain("invalid_grant").And.NotContain("PRIVATE KEY");
    }

    [TestCase("{\"type\":\"service_account\",\"client_email\":\"a@b\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nAAAAsecretAAAA\\n-----END PRIVATE KEY-----\\n\"}")]
    [TestCase("not json at all, secret-looking text")]
    [TestCase("{\"type\":\"authorized_user\",\"client_id\":\"x\",\"client_secret\":\"topsecret\",\"refresh_token\":\"r\"}")]
    public async Task A_file_that_is_not_a_service_account_key_is_a_BadRequest_naming_the_field_without_its_content(string content)
    {
        var file = Path.Combine(_kms.Directory, $"bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, content);

        var open = async () => await _kms.ManagerAsync(file);

        var error = (await open.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.BadRequest);
        error.Message.Should().Contain("kms.uri (credentials-file)").And.Contain(file).And.NotContain("secret");
    }

    [Test]
    public async Task A_missing_credentials_file_names_the_field()
    {
        var open = async () => await GoogleCloudKeyManager.CreateAsync(new KmsConfig { Type = "cloudkms", CredentialsFile = "/nonexistent/creds.json" },
            _kms.Options(), TimeProvider.System, NullLogger<GoogleCloudKeyManager>.Instance);

        (await open.Should().ThrowAsync<PkiException>()).Which.Message.Should().StartWith("kms.credentialsFile: cannot read the credentials file /nonexistent/creds.json");
    }

    [Test]
    public void The_uri_credentials_file_takes_precedence_over_credentialsFile()
    {
        GoogleCloudKeyManager.CredentialsFile(new KmsConfig { Type = "cloudkms", Uri = "cloudkms:credentials-file=/a.json", CredentialsFile = "/b.json" })
            .Should().Be(("/a.json", "kms.uri (credentials-file)"));
        GoogleCloudKeyManager.CredentialsFile(new KmsConfig { Type = "cloudkms", Uri = "cloudkms:", CredentialsFile = "/b.json" })
            .Should().Be(("/b.json", "kms.credentialsFile"));
        GoogleCloudKeyManager.CredentialsFile(new KmsConfig { Type = "cloudkms" }).Should().Be(((string?)null, "kms.credentialsFile"));
    }

    [Test]
    public async Task The_deprecated_credentialsFile_field_works_alone()
    {
        await using var manager = await GoogleCloudKeyManager.CreateAsync(new KmsConfig { Type = "cloudkms", CredentialsFile = _kms.CredentialsFile },
            _kms.Options(), TimeProvider.System, NullLogger<GoogleCloudKeyManager>.Instance);

        var created = await manager.CreateKeyAsync(new CreateKeyRequest(_kms.NewCryptoKeyName(), KeyAlgorithm.EcdsaP256));

        created.SubjectPublicKeyInfo.Length.Should().BeGreaterThan(0);
    }

    [Test]
    public async Task An_unreachable_endpoint_says_so()
    {
        var options = _kms.Options();
        options.Endpoint = new Uri("https://127.0.0.1:1/");
        await using var manager = await _kms.ManagerAsync(options: options);

        var open = async () => await manager.GetPublicKeyAsync("projects/local-test/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1");

        (await open.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("https://127.0.0.1:1 is unreachable");
    }

    [Test]
    public async Task An_unreadable_extra_roots_file_is_a_BadRequest_naming_it()
    {
        var options = _kms.Options();
        options.ExtraRootsFile = "/nonexistent/roots.pem";

        var open = async () => await _kms.ManagerAsync(options: options);

        (await open.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("PKI_KMS_CA_FILE").And.Contain("/nonexistent/roots.pem");
    }

    [Test]
    public async Task The_server_certificate_must_chain_to_a_trusted_root()
    {
        var options = _kms.Options();
        options.ExtraRootsFile = null;
        await using var manager = await _kms.ManagerAsync(options: options);

        var open = async () => await manager.GetPublicKeyAsync("projects/local-test/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1");

        (await open.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("token endpoint");
    }
}
