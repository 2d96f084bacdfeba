using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.GoogleCloud;

namespace Smallstep.Pki.Tests.Kms.GoogleCloud;

public class CloudKmsResourceNameTests
{
    private const string Version = "projects/smallstep/locations/global/keyRings/step-ca/cryptoKeys/intermediate/cryptoKeyVersions/1";

    [TestCase(Version)]
    [TestCase("cloudkms:" + Version)]
    [TestCase("cloudkms:resource=" + Version)]
    [TestCase("CLOUDKMS:resource=" + Version)]
    [TestCase("cloudkms:resource=projects%2Fsmallstep%2Flocations%2Fglobal%2FkeyRings%2Fstep-ca%2FcryptoKeys%2Fintermediate%2FcryptoKeyVersions%2F1")]
    [TestCase("cloudkms:?resource=" + Version)]
    public void Reads_every_form_step_accepts(string name) =>
        CloudKmsResourceName.KeyVersion(name).Should().Be(Version);

    [Test]
    public void The_resource_attribute_wins_over_the_opaque_part() =>
        CloudKmsResourceName.Plain("cloudkms:resource=a/b;other=c").Should().Be("a/b");

    [Test]
    public void Splits_a_crypto_key_into_its_key_ring_and_id_as_step_Parent_does()
    {
        var (ring, id) = CloudKmsResourceName.CryptoKey("projects/smallstep/locations/global/keyRings/step-ca/cryptoKeys/root");

        ring.Should().Be("projects/smallstep/locations/global/keyRings/step-ca");
        id.Should().Be("root");
        CloudKmsResourceName.KeyRing(ring).Should().Be(("projects/smallstep/locations/global", "step-ca"));
    }

    [TestCase("")]
    [TestCase("projects/smallstep/locations/global/keyRings/step-ca/cryptoKeys/intermediate")]
    [TestCase("projects/../locations/global/keyRings/step-ca/cryptoKeys/k/cryptoKeyVersions/1")]
    [TestCase("projects/p/locations/global/keyRings/../cryptoKeys/k/cryptoKeyVersions/1")]
    [TestCase("projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1?alt=media")]
    [TestCase("projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1/../../../x")]
    [TestCase("projects/p/locations/global/keyRings/r/cryptoKeys/k%2F..%2F/cryptoKeyVersions/1")]
    [TestCase("projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1:asymmetricDecrypt")]
    [TestCase("projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1\n")]
    [TestCase("https://evil.example/projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1")]
    [TestCase("cloudkms:resource=%zz")]
    [TestCase("cloudkms:")]
    public void Refuses_names_that_are_not_key_versions(string name)
    {
        var read = () => CloudKmsResourceName.KeyVersion(name);

        read.Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }

    [Test]
    public void A_long_hostile_name_is_cut_short_in_the_message()
    {
        var read = () => CloudKmsResourceName.KeyVersion(new string('x', 10_000));

        read.Should().Throw<PkiException>().Which.Message.Length.Should().BeLessThan(400);
    }

    [TestCase("projects/p/locations/global/keyRings/r")]
    [TestCase("projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1")]
    [TestCase("projects/p/locations/global/keyRings/r/cryptoKeys/" + "k123456789k123456789k123456789k123456789k123456789k123456789k1234")]
    public void Refuses_names_that_are_not_crypto_keys(string name)
    {
        var read = () => CloudKmsResourceName.CryptoKey(name);

        read.Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }
}
