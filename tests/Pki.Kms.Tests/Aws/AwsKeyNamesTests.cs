using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Aws;

namespace Smallstep.Pki.Tests.Kms.Aws;

/// <summary>Key names as step's awskms parseKeyID/parseName read them, and hostile ones.</summary>
public sealed class AwsKeyNamesTests
{
    [TestCase("awskms:key-id=78980acd-a42d-4d84-97ba-1e50d3082214", "78980acd-a42d-4d84-97ba-1e50d3082214")]
    [TestCase("awskms:key-id=78980acd-a42d-4d84-97ba-1e50d3082214;region=us-east-2", "78980acd-a42d-4d84-97ba-1e50d3082214")]
    [TestCase("aws:key-id=alias/root-ca-78980acd", "alias/root-ca-78980acd")]
    [TestCase("AwsKms:key-id=arn:aws:kms:us-east-2:111122223333:key/78980acd-a42d-4d84-97ba-1e50d3082214",
        "arn:aws:kms:us-east-2:111122223333:key/78980acd-a42d-4d84-97ba-1e50d3082214")]
    [TestCase("awskms:key-id=arn%3Aaws%3Akms%3Aus-east-2%3A111122223333%3Aalias%2FMixedCase", "arn:aws:kms:us-east-2:111122223333:alias/MixedCase")]
    [TestCase("awskms:region=us-east-2?key-id=mrk-1234abcd", "mrk-1234abcd")]
    [TestCase("78980acd-a42d-4d84-97ba-1e50d3082214", "78980acd-a42d-4d84-97ba-1e50d3082214")]
    [TestCase("alias/root-ca", "alias/root-ca")]
    public void Key_ids_are_read_as_step_reads_them(string name, string keyId) => AwsKeyNames.KeyId(name).Should().Be(keyId);

    [TestCase("awskms:region=us-east-2", "no key-id")]
    [TestCase("awskms:key-id=;key-id=second", "no key-id")] // Go's url.Values.Get returns the first value, "", so step fails too
    [TestCase("awskms:key-id=%zz", "malformed percent escape")]
    [TestCase("awskms:key-id=%", "malformed percent escape")]
    [TestCase("awskms:key-id=a%20b", "letters, digits")]
    [TestCase("awskms:key-id=alias/x%0D%0AX-Injected: 1", "letters, digits")]
    [TestCase("awskms:key-id=alias/\u00e9", "letters, digits")]
    [TestCase("", "empty")]
    public void Malformed_or_hostile_key_names_are_refused_without_echoing_them(string name, string reason)
    {
        var read = () => AwsKeyNames.KeyId(name);

        var error = read.Should().Throw<PkiException>().Which;
        error.Kind.Should().Be(PkiErrorKind.BadRequest);
        error.Message.Should().Contain(reason);
        if (name.Length > 0)
        {
            error.Message.Should().NotContain(name);
        }
    }

    [Test]
    public void An_overlong_key_id_is_refused() =>
        FluentActions.Invoking(() => AwsKeyNames.KeyId("alias/" + new string('a', 2048))).Should().Throw<PkiException>();

    [TestCase("root-ca", "root-ca")]
    [TestCase("awskms:name=intermediate-ca", "intermediate-ca")]
    [TestCase("awskms:name=team/ssh_user-ca;region=us-east-2", "team/ssh_user-ca")]
    public void New_key_names_are_read_as_step_reads_them(string requested, string name) =>
        AwsKeyNames.NewKeyName(requested).Should().Be(name);

    [TestCase("awskms:key-id=abc")]
    [TestCase("has space")]
    [TestCase("aws/reserved")]
    [TestCase("dots.are.not.alias.characters")]
    public void Names_that_cannot_become_an_alias_are_refused(string requested) =>
        FluentActions.Invoking(() => AwsKeyNames.NewKeyName(requested)).Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.BadRequest);

    [Test]
    public void The_alias_is_the_name_and_the_first_eight_characters_of_the_key_id() =>
        AwsKeyNames.Alias("root-ca", "78980acd-a42d-4d84-97ba-1e50d3082214").Should().Be("alias/root-ca-78980acd");
}
