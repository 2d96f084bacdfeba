using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Azure;

namespace Smallstep.Pki.Tests.Kms.Azure;

public class AzureKeyNameTests
{
    private static readonly AzureKmsDefaults NoDefaults = new(null, false);

    [Test]
    public void Reads_the_seed_example()
    {
        var name = AzureKeyName.Parse("azurekms:name=intermediate-ca-key;vault=example-vault-0?version=15faf8b8b80d4f1ead067c6383a38b8f&hsm=true", NoDefaults);

        name.Should().Be(new AzureKeyName("example-vault-0", "intermediate-ca-key", "15faf8b8b80d4f1ead067c6383a38b8f", true));
    }

    [Test]
    public void Vault_and_hsm_default_to_the_kms_uri_and_the_key_name_wins()
    {
        var defaults = new AzureKmsDefaults("default-vault", true);

        AzureKeyName.Parse("azurekms:name=k", defaults).Should().Be(new AzureKeyName("default-vault", "k", "", true));
        AzureKeyName.Parse("azurekms:name=k;vault=other?hsm=false", defaults).Should().Be(new AzureKeyName("other", "k", "", false));
        AzureKeyName.Parse("AZUREKMS:vault=v12;name=k;hsm=TRUE", NoDefaults).Hsm.Should().BeTrue();
    }

    [Test]
    public void Prints_the_uri_step_prints() =>
        new AzureKeyName("vault-a", "root-ca", "", false).ToUri("0123abcd").Should().Be("azurekms:name=root-ca;vault=vault-a?version=0123abcd");

    [TestCase("azurekms:vault=v12", "name is missing")]
    [TestCase("azurekms:name=k", "vault is missing")]
    [TestCase("azurekms:name=k;vault=v.evil.example", "not valid")]
    [TestCase("azurekms:name=k;vault=evil.example%2Fx", "not valid")]
    [TestCase("azurekms:name=..;vault=v12", "not valid")]
    [TestCase("azurekms:name=k%2F..%2Fsecrets;vault=v12", "not valid")]
    [TestCase("azurekms:name=k;vault=v12?version=1/sign", "not valid")]
    [TestCase("azurekms:name=k;vault=v12?version=1%3Fapi-version%3D1", "not valid")]
    [TestCase("azurekms:name=k;vault=ab", "not valid")]
    [TestCase("azurekms:name=k%zz;vault=v12", "malformed percent escape")]
    [TestCase("pkcs11:name=k;vault=v12", "not a azurekms: URI")]
    public void Refuses_hostile_and_incomplete_names(string uri, string reason)
    {
        var parse = () => AzureKeyName.Parse(uri, NoDefaults);

        var error = parse.Should().Throw<PkiException>().Which;
        error.Kind.Should().Be(PkiErrorKind.BadRequest);
        error.Message.Should().Contain(reason);
    }
}
