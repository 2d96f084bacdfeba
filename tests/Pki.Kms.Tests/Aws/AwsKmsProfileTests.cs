using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Aws;

namespace Smallstep.Pki.Tests.Kms.Aws;

/// <summary>Credentials files and profiles, as step's credentials-file and profile settings use them.</summary>
[TestFixture]
public sealed class AwsKmsProfileTests
{
    private LocalAwsKms _kms = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _kms = await LocalAwsKms.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _kms.DisposeAsync();

    [Test]
    public async Task The_named_profile_of_the_credentials_file_is_used_from_the_blocks_fields()
    {
        var directory = Directory.CreateTempSubdirectory("awskms-profiles-").FullName;
        try
        {
            var file = _kms.Server.WriteCredentialsFile(directory, "default", "a-wrong-secret-in-the-default-profile");
            _kms.Server.WriteCredentialsFile(directory, "ca");
            var kms = new KmsConfig { Type = "awskms", CredentialsFile = file, Profile = "ca" };
            await using var manager = AwsKeyManager.Create(kms, new AwsKmsOptions());

            var created = await manager.CreateKeyAsync(new CreateKeyRequest("profile", KeyAlgorithm.EcdsaP256));

            created.KeyUri.Should().StartWith("awskms:key-id=");
            await using var wrong = AwsKeyManager.Create(kms with { Profile = null }, new AwsKmsOptions());
            var refused = async () => await wrong.GetPublicKeyAsync(created.KeyUri);
            (await refused.Should().ThrowAsync<Smallstep.Pki.Errors.PkiException>()).Which.Message.Should().Contain("InvalidSignatureException");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void A_missing_profile_names_the_field_and_the_file()
    {
        var kms = new KmsConfig { Type = "awskms", Uri = $"awskms:credentials-file={_kms.CredentialsFile};profile=nobody" };

        var create = () => AwsKeyManager.Create(kms, new AwsKmsOptions());

        create.Should().Throw<CaConfigException>().Which.Message.Should().Contain("kms.uri").And.Contain("'nobody'").And.Contain(_kms.CredentialsFile);
    }

    [Test]
    public void A_missing_credentials_file_names_the_field()
    {
        var kms = new KmsConfig { Type = "awskms", CredentialsFile = "/nonexistent/aws/credentials" };

        var create = () => AwsKeyManager.Create(kms, new AwsKmsOptions());

        create.Should().Throw<CaConfigException>().Which.Message.Should().Contain("kms.credentialsFile").And.Contain("does not exist");
    }

    [Test]
    public async Task A_profile_without_ca_bundle_does_not_trust_the_local_servers_certificate()
    {
        var directory = Directory.CreateTempSubdirectory("awskms-nobundle-").FullName;
        try
        {
            var file = Path.Combine(directory, "credentials");
            await File.WriteAllTextAsync(file, $"""
                [default]
                aws_access_key_id = {LocalAwsKms.AccessKeyId}
                aws_secret_access_key = {LocalAwsKms.SecretAccessKey}
                region = {_kms.Server.Region}
                endpoint_url = {_kms.Server.Endpoint}
                """);
            await using var manager = AwsKeyManager.Create(new KmsConfig { Type = "awskms", CredentialsFile = file }, new AwsKmsOptions());

            var open = async () => await manager.GetPublicKeyAsync("alias/anything");

            (await open.Should().ThrowAsync<Smallstep.Pki.Errors.PkiException>()).Which.Message.Should().Contain("unreachable");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task The_uri_endpoint_overrides_the_profiles_endpoint_url()
    {
        await using var other = await LocalAwsKms.StartAsync();
        await using var viaOther = other.CreateManager();
        var created = await viaOther.CreateKeyAsync(new CreateKeyRequest("endpoint", KeyAlgorithm.EcdsaP256));
        // The file trusts the first server's certificate only; the override points at the second server.
        var kms = new KmsConfig { Type = "awskms", Uri = $"awskms:credentials-file={_kms.CredentialsFile};endpoint={other.Server.Endpoint}" };
        await using var manager = AwsKeyManager.Create(kms, new AwsKmsOptions());

        var open = async () => await manager.GetPublicKeyAsync(created.KeyUri);

        (await open.Should().ThrowAsync<Smallstep.Pki.Errors.PkiException>()).Which.Message.Should().Contain("unreachable", "the second server's certificate is not in the bundle");
        other.Server.Requests.Should().ContainSingle(r => r.Operation == "CreateKey");
    }
}
