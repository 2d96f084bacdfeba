using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Tests.Keys;

public sealed class KeyManagerRegistryTests
{
    [TestCase("secrets/intermediate_ca_key", "softkms")]
    [TestCase("/etc/step/secrets/key", "softkms")]
    [TestCase(@"C:\step\secrets\key", "softkms")]
    [TestCase("softkms:path=/a/b.key", "softkms")]
    [TestCase("PKCS11:id=7331;object=key", "pkcs11")]
    [TestCase("awskms:key-id=abc", "awskms")]
    [TestCase("testkms:intermediate", "testkms")]
    [TestCase("no-scheme:", "no-scheme")]
    [TestCase("1abc:x", "softkms")]
    public void A_key_name_is_routed_by_its_uri_scheme_and_a_plain_path_is_softkms(string key, string scheme) =>
        KeyManagerRegistry.SchemeOf(key).Should().Be(scheme);

    [TestCase("projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1", "cloudkms", "cloudkms", false)]
    [TestCase("arn:aws:kms:us-east-2:111122223333:key/78980acd", "awskms", "awskms", false)]
    [TestCase("secrets/intermediate_ca_key", "softkms", "softkms", false)]
    [TestCase("secrets/intermediate_ca_key", "pkcs11", "pkcs11", false)]
    [TestCase("softkms:path=secrets/key", "pkcs11", "softkms", true)]
    [TestCase("pkcs11:id=1", "cloudkms", "pkcs11", true)]
    [TestCase("yubikey:slot-id=9c", "pkcs11", "yubikey", true)]
    [TestCase("testkms:intermediate", "pkcs11", "testkms", true)]
    public void A_name_without_a_scheme_of_its_own_goes_to_the_kms_block_as_in_step(string key, string kmsType, string routed, bool named)
    {
        static ValueTask<IKeyManager> Create(KeyManagerContext context, CancellationToken token) => throw new NotSupportedException();
        var registry = new KeyManagerRegistry([new KeyManagerRegistration("testkms", ["testkms"], Create)]);

        registry.Route(key, kmsType).Should().Be((routed, named));
    }

    [Test]
    public void Types_and_schemes_are_case_insensitive_and_the_first_registration_wins()
    {
        static ValueTask<IKeyManager> Create(KeyManagerContext context, CancellationToken token) => throw new NotSupportedException();
        var first = new KeyManagerRegistration("hsm", ["hsm", "pkcs11"], Create);
        var second = new KeyManagerRegistration("HSM", ["other"], Create);

        var registry = new KeyManagerRegistry([first, second]);

        registry.FindByType("Hsm").Should().BeSameAs(first);
        registry.FindByScheme("PKCS11").Should().BeSameAs(first);
        registry.FindByScheme("other").Should().BeSameAs(second);
        registry.Types.Should().ContainSingle();
    }

    [Test]
    public void Key_algorithms_are_an_open_set_compared_by_name()
    {
        var custom = new KeyAlgorithm("EcdsaBrainpoolP256");

        custom.Should().NotBe(KeyAlgorithm.EcdsaP256);
        new KeyAlgorithm(nameof(KeyAlgorithm.EcdsaP256)).Should().Be(KeyAlgorithm.EcdsaP256);
        KeyAlgorithm.EcdsaP384.IsEcdsa.Should().BeTrue();
        custom.IsEcdsa.Should().BeFalse();
        custom.ToString().Should().Be("EcdsaBrainpoolP256");
        default(KeyAlgorithm).Name.Should().BeEmpty();
        System.ComponentModel.TypeDescriptor.GetConverter(typeof(KeyAlgorithm)).ConvertFrom("Rsa").Should().Be(KeyAlgorithm.Rsa);
    }
}
