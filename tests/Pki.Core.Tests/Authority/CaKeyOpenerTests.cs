using Smallstep.Pki.Authority;

namespace Smallstep.Pki.Tests.Authority;

public sealed class CaKeyOpenerTests
{
    [TestCase("pkcs11:token=ca;id=7332;object=intermediate?pin-value=123456", "pkcs11:token=ca;id=7332;object=intermediate?...")]
    [TestCase("pkcs11:pin-value=123456;id=7332", "pkcs11:pin-value=***;id=7332")]
    [TestCase("yubikey:slot-id=9c;management-key=010203040506070801020304050607080102030405060708", "yubikey:slot-id=9c;management-key=***")]
    [TestCase("azurekms:name=k;vault=v;client-secret=s3cr3t", "azurekms:name=k;vault=v;client-secret=***")]
    [TestCase("awskms:key-id=alias/ca", "awskms:key-id=alias/ca")]
    public void A_key_uri_in_a_start_up_error_shows_no_secret(string key, string shown) =>
        CaKeyOpener.Redacted(key).Should().Be(shown);
}
