using Smallstep.Pki.Configuration;
using Smallstep.Pki.Kms.Aws;

namespace Smallstep.Pki.Tests.Kms.Aws;

/// <summary>The kms block: step's URI attributes over the block's fields, and start-up errors naming the field.</summary>
public sealed class AwsKmsSettingsTests
{
    [Test]
    public void The_uri_takes_precedence_over_the_blocks_fields()
    {
        var settings = AwsKmsSettings.From(new KmsConfig
        {
            Type = "awskms",
            Uri = "awskms:region=us-east-2;profile=foo;credentials-file=/path/to/credentials;endpoint=https://vpce-1.kms.us-east-2.vpce.amazonaws.com",
            Region = "eu-west-1",
            Profile = "bar",
            CredentialsFile = "/other",
        });

        settings.Should().Be(new AwsKmsSettings(new("us-east-2", "kms.uri"), new("foo", "kms.uri"), new("/path/to/credentials", "kms.uri"),
            new("https://vpce-1.kms.us-east-2.vpce.amazonaws.com", "kms.uri")));
    }

    [Test]
    public void Block_fields_apply_when_the_uri_lacks_them()
    {
        var settings = AwsKmsSettings.From(new KmsConfig { Type = "awskms", Uri = "awskms:profile=foo", Region = "eu-west-1", CredentialsFile = "/c" });

        settings.Should().Be(new AwsKmsSettings(new("eu-west-1", "kms.region"), new("foo", "kms.uri"), new("/c", "kms.credentialsFile"), null));
    }

    [TestCase("pkcs11:token=x", "kms.uri", "starts with awskms:")]
    [TestCase("awskms:region=%zz", "kms.uri", "percent escape")]
    [TestCase("awskms:region=us-east-1.evil.example/", "kms.uri", "not an AWS region")]
    [TestCase("awskms:endpoint=ftp://127.0.0.1/", "kms.uri", "endpoint must be")]
    [TestCase("awskms:endpoint=https://user:pass@127.0.0.1/", "kms.uri", "endpoint must be")]
    [TestCase("awskms:endpoint=not a url", "kms.uri", "endpoint must be")]
    public void Unusable_uris_stop_the_start_naming_the_field(string uri, string field, string reason)
    {
        var read = () => AwsKmsSettings.From(new KmsConfig { Type = "awskms", Uri = uri });

        var error = read.Should().Throw<CaConfigException>().Which;
        error.Message.Should().Contain(field).And.Contain(reason);
        error.Message.Should().NotContain("pass@");
    }

    [Test]
    public void A_bad_region_field_is_named() =>
        FluentActions.Invoking(() => AwsKmsSettings.From(new KmsConfig { Type = "awskms", Region = "US EAST" }))
            .Should().Throw<CaConfigException>().Which.Message.Should().Contain("kms.region");
}
