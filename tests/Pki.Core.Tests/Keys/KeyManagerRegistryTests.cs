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
