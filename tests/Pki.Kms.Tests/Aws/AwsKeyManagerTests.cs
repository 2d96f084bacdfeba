using System.Security.Cryptography;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Aws;

namespace Smallstep.Pki.Tests.Kms.Aws;

/// <summary>awskms against the local AWS KMS server: key name forms, step's key creation, signing schemes and AWS's errors.</summary>
[TestFixture]
public sealed class AwsKeyManagerTests
{
    private LocalAwsKms _kms = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _kms = await LocalAwsKms.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _kms.DisposeAsync();

    [Test]
    public async Task CreateKey_makes_a_sign_verify_key_with_steps_alias_description_and_key_uri()
    {
        await using var manager = _kms.CreateManager();

        var created = await manager.CreateKeyAsync(new CreateKeyRequest("root-ca", KeyAlgorithm.EcdsaP256));

        created.KeyUri.Should().MatchRegex("^awskms:key-id=[0-9a-f-]{36}$");
        var keyId = created.KeyUri["awskms:key-id=".Length..];
        _kms.Server.AliasesOf(keyId).Should().Equal($"alias/root-ca-{keyId[..8]}");
        _kms.Server.DescriptionOf(keyId).Should().Be("root-ca");
    }

    [Test]
    public async Task A_created_key_opens_by_id_key_arn_alias_alias_arn_and_the_short_aws_scheme()
    {
        await using var manager = _kms.CreateManager();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("awskms:name=forms", KeyAlgorithm.EcdsaP384));
        var keyId = created.KeyUri["awskms:key-id=".Length..];
        var alias = $"alias/forms-{keyId[..8]}";
        var arnPrefix = $"arn:aws:kms:{_kms.Server.Region}:{Smallstep.Pki.TestServers.AwsKms.LocalAwsKmsServer.AccountId}:";

        foreach (var name in new[] { keyId, $"awskms:key-id={arnPrefix}key/{keyId}", $"awskms:key-id={alias}", $"AWSKMS:key-id={arnPrefix}{alias}", $"aws:key-id={keyId}", $"awskms:?key-id={keyId}" })
        {
            (await manager.GetPublicKeyAsync(name)).ToArray().Should().Equal(created.SubjectPublicKeyInfo.ToArray(), name);
        }
    }

    [Test]
    public async Task Signing_sends_the_locally_computed_digest_with_the_curves_algorithm()
    {
        await using var manager = _kms.CreateManager();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("digest", KeyAlgorithm.EcdsaP521));
        var signer = await manager.GetSignerAsync(created.KeyUri);
        var data = new byte[10_000]; // larger than Sign's 4096-byte RAW limit: only a digest can be sent
        RandomNumberGenerator.Fill(data);

        var signature = await signer.SignAsync(data);

        SignatureCheck.Verify(created.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP521, data, signature).Should().BeTrue();
        var sign = _kms.Server.Requests.Last(r => r.Operation == "Sign");
        (sign.MessageType, sign.SigningAlgorithm, sign.Error).Should().Be(("DIGEST", "ECDSA_SHA_512", (string?)null));
        signer.SignatureAlgorithmIdentifier.ToArray().Should().Equal(Convert.FromHexString("300a06082a8648ce3d040304"), "ecdsa-with-SHA512");
    }

    [Test]
    public async Task One_signer_signs_concurrently()
    {
        await using var manager = _kms.CreateManager();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("concurrent", KeyAlgorithm.EcdsaP256));
        var signer = await manager.GetSignerAsync(created.KeyUri);
        var messages = Enumerable.Range(0, 32).Select(i => BitConverter.GetBytes(i)).ToArray();

        var signatures = await Task.WhenAll(messages.Select(m => signer.SignAsync(m).AsTask()));

        messages.Zip(signatures).Should().OnlyContain(p => SignatureCheck.Verify(created.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP256, p.First, p.Second));
    }

    [TestCase("RSASSA_PKCS1_V1_5_SHA_256", "300d06092a864886f70d01010b0500")]
    [TestCase("RSASSA_PKCS1_V1_5_SHA_512", "300d06092a864886f70d01010d0500")]
    // Go's crypto/x509 pssParametersSHA256 bytes, wrapped in the id-RSASSA-PSS AlgorithmIdentifier.
    [TestCase("RSASSA_PSS_SHA_256", "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120")]
    public async Task RSA_keys_sign_with_the_configured_scheme(string scheme, string algorithmIdentifierHex)
    {
        await using var manager = _kms.CreateManager(new AwsKmsOptions { RsaSigningAlgorithm = scheme });
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("rsa", KeyAlgorithm.Rsa, 3072));
        var signer = await manager.GetSignerAsync(created.KeyUri);
        var data = "tbs certificate"u8.ToArray();

        var signature = await signer.SignAsync(data);

        signer.Algorithm.Should().Be(KeyAlgorithm.Rsa);
        signer.SignatureAlgorithmIdentifier.ToArray().Should().Equal(Convert.FromHexString(algorithmIdentifierHex));
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(created.SubjectPublicKeyInfo.Span, out _);
        rsa.KeySize.Should().Be(3072);
        var hash = scheme.EndsWith("512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        rsa.VerifyData(data, signature, hash, scheme.Contains("PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1).Should().BeTrue();
    }

    [Test]
    public async Task A_missing_key_is_NotFound_with_AWSs_reason()
    {
        await using var manager = _kms.CreateManager();

        var open = async () => await manager.GetSignerAsync("awskms:key-id=alias/no-such-key");

        var error = (await open.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.NotFound);
        error.Message.Should().Contain("GetPublicKey").And.Contain("alias/no-such-key").And.Contain("NotFoundException").And.Contain("is not found");
    }

    [Test]
    public async Task A_wrong_secret_is_refused_by_the_signature_check_and_the_error_says_so_without_the_secret()
    {
        var directory = Directory.CreateTempSubdirectory("awskms-wrong-").FullName;
        try
        {
            const string wrongSecret = "not-the-secret-0123456789abcdefghijklmnop";
            var file = _kms.Server.WriteCredentialsFile(directory, "ca", wrongSecret);
            await using var manager = AwsKeyManager.Create(new KmsConfig { Type = "awskms", Uri = $"awskms:credentials-file={file};profile=ca" }, new AwsKmsOptions());

            var create = async () => await manager.CreateKeyAsync(new CreateKeyRequest("wrong", KeyAlgorithm.EcdsaP256));

            var error = (await create.Should().ThrowAsync<PkiException>()).Which;
            error.Kind.Should().Be(PkiErrorKind.Forbidden);
            error.Message.Should().Contain("InvalidSignatureException").And.Contain("kms:CreateKey").And.NotContain(wrongSecret).And.NotContain(LocalAwsKms.SecretAccessKey);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task A_missing_IAM_permission_names_the_action()
    {
        await using var manager = _kms.CreateManager();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("denied", KeyAlgorithm.EcdsaP256));
        var signer = await manager.GetSignerAsync(created.KeyUri);
        await using var denied = await LocalAwsKms.StartAsync();
        denied.Server.Deny("GetPublicKey");
        await using var deniedManager = denied.CreateManager();

        var open = async () => await deniedManager.GetPublicKeyAsync(created.KeyUri);

        var error = (await open.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.Forbidden);
        error.Message.Should().Contain("AccessDeniedException").And.Contain("kms:GetPublicKey");
        (await signer.SignAsync("still works"u8.ToArray())).Should().NotBeEmpty("the first server still allows Sign");
    }

    [Test]
    public async Task A_refused_Sign_is_an_internal_error_of_the_CA_not_the_clients()
    {
        await using var kms = await LocalAwsKms.StartAsync();
        await using var manager = kms.CreateManager();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("sign-denied", KeyAlgorithm.EcdsaP256));
        var signer = await manager.GetSignerAsync(created.KeyUri);
        kms.Server.Deny("Sign");

        var sign = async () => await signer.SignAsync("x"u8.ToArray());

        var error = (await sign.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.Internal);
        error.Message.Should().Contain("Sign").And.Contain("AccessDeniedException");
    }

    [Test]
    public async Task An_unreachable_endpoint_says_unreachable()
    {
        await using var kms = await LocalAwsKms.StartAsync();
        await using var manager = kms.CreateManager();
        await kms.Server.DisposeAsync(); // the port is closed now

        var open = async () => await manager.GetSignerAsync("awskms:key-id=alias/anything");

        var error = (await open.Should().ThrowAsync<PkiException>()).Which;
        error.Message.Should().Contain("unreachable");
    }

    [TestCase("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "UnsupportedOperationException")]
    [TestCase("RSA_2048", "ENCRYPT_DECRYPT", "needs SIGN_VERIFY")]
    public async Task Keys_a_CA_cannot_sign_with_are_refused(string keySpec, string keyUsage, string reason)
    {
        await using var manager = _kms.CreateManager();
        var keyId = _kms.Server.AddKey(keySpec, keyUsage);

        var open = async () => await manager.GetSignerAsync($"awskms:key-id={keyId}");

        (await open.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain(reason);
    }

    [Test]
    public async Task Decryption_is_refused_before_calling_AWS_because_AWS_has_no_PKCS1_v1_5_decryption()
    {
        await using var manager = _kms.CreateManager();
        var keyId = _kms.Server.AddKey("RSA_2048", "ENCRYPT_DECRYPT");
        var before = _kms.Server.Requests.Count;

        var decrypt = async () => await manager.DecryptAsync($"awskms:key-id={keyId}", new byte[256]);

        var error = (await decrypt.Should().ThrowAsync<PkiException>()).Which;
        error.Kind.Should().Be(PkiErrorKind.NotImplemented);
        error.Message.Should().Contain("RSAES-OAEP").And.Contain("PKCS#1 v1.5");
        _kms.Server.Requests.Count.Should().Be(before);
    }

    [TestCase(1024)]
    [TestCase(8192)]
    public async Task RSA_sizes_AWS_does_not_offer_are_refused_before_any_key_is_made(int bits)
    {
        await using var manager = _kms.CreateManager();
        var before = _kms.Server.Requests.Count;

        var create = async () => await manager.CreateKeyAsync(new CreateKeyRequest("odd", KeyAlgorithm.Rsa, bits));

        (await create.Should().ThrowAsync<PkiException>()).Which.Message.Should().Contain("2048, 3072 and 4096");
        _kms.Server.Requests.Count.Should().Be(before);
    }

    [Test]
    public async Task Ed25519_keys_are_not_created()
    {
        await using var manager = _kms.CreateManager();

        var create = async () => await manager.CreateKeyAsync(new CreateKeyRequest("ed", KeyAlgorithm.Ed25519));

        (await create.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }
}
