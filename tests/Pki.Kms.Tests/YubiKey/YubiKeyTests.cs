using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Pkcs11;
using Smallstep.Pki.Kms.YubiKey;
using Smallstep.Pki.Tests.Kms.Pkcs11;

namespace Smallstep.Pki.Tests.Kms.YubiKey;

/// <summary>
/// The YubiKey manager without a YubiKey: step's yubikey URIs and defaults, Yubico's slot → ykcs11
/// object mapping, the real ykcs11 module reporting no token, and the PKCS#11 calls the manager
/// makes run against SoftHSM2 holding keys in ykcs11's layout (CKA_ID 2 for slot 9c, 5 for 82, ...).
/// </summary>
public class YubiKeyTests
{
    private const string Ykcs11 = "/usr/lib/x86_64-linux-gnu/libykcs11.so.2";

    [TestCase("9a", 1)]
    [TestCase("9c", 2)]
    [TestCase("9d", 3)]
    [TestCase("9e", 4)]
    [TestCase("82", 5)]
    [TestCase("83", 6)]
    [TestCase("8A", 13)]
    [TestCase("95", 24)]
    public void Piv_slots_map_to_ykcs11_object_ids_as_yubico_documents(string slot, int id)
    {
        YubiKeySlots.ObjectId(slot).Should().Be((byte)id);
    }

    [TestCase("f9")]
    [TestCase("9b")]
    [TestCase("81")]
    [TestCase("96")]
    [TestCase("")]
    [TestCase("9a9a")]
    [TestCase("zz")]
    public void Slots_that_cannot_hold_a_ca_key_are_refused(string slot)
    {
        YubiKeySlots.ObjectId(slot).Should().BeNull();
        var parse = () => YubiKeyKeyNaming.Instance.Parse("yubikey:slot-id=" + slot);
        parse.Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }

    [TestCase("yubikey:slot-id=9a", 1)]
    [TestCase("YUBIKEY:SLOT-ID=9C", 2)]
    [TestCase("yubikey:slot-id=82?pin-value=123456", 5)]
    [TestCase("9d", 3)]
    public void Key_names_are_slot_uris_or_bare_slots_as_in_step(string name, int id)
    {
        YubiKeyKeyNaming.Instance.Parse(name).Id.Should().Equal((byte)id);
    }

    [Test]
    public void A_new_key_without_a_name_goes_to_slot_9c_and_its_uri_names_the_slot()
    {
        YubiKeyKeyNaming.Instance.ForCreate("").KeyUri.Should().Be("yubikey:slot-id=9c");
        YubiKeyKeyNaming.Instance.ForCreate("yubikey:slot-id=82").KeyUri.Should().Be("yubikey:slot-id=82");
        var noSlot = () => YubiKeyKeyNaming.Instance.Parse("yubikey:pin-value=1");
        noSlot.Should().Throw<PkiException>().Which.Message.Should().Contain("slot-id");
    }

    [Test]
    public void Defaults_are_steps_pin_and_management_key_and_the_first_yubikey()
    {
        var settings = YubiKeySettings.FromKms(new KmsConfig { Type = "yubikey" }, fileExists: _ => false);

        settings.Pin.Should().Be("123456");
        settings.SecurityOfficerPin.Should().Be("010203040506070801020304050607080102030405060708");
        settings.FirstToken.Should().BeTrue();
        settings.MaxSessions.Should().Be(1);
        settings.ModulePath.Should().Be("libykcs11.so.2");
    }

    [Test]
    public void The_uri_takes_precedence_over_kms_pin_and_management_key()
    {
        var settings = YubiKeySettings.FromKms(new KmsConfig
        {
            Type = "yubikey",
            Uri = "yubikey:management-key=00112233445566778899aabbccddeeff;serial=12345678?pin-value=654321",
            Pin = "111111",
            ManagementKey = "ffeeddccbbaa99887766554433221100",
        });

        settings.Pin.Should().Be("654321");
        settings.SecurityOfficerPin.Should().Be("00112233445566778899aabbccddeeff");
        settings.TokenSerial.Should().Be("12345678");
        YubiKeySettings.FromKms(new KmsConfig { Type = "yubikey", Pin = "111111", ManagementKey = "ffeeddccbbaa99887766554433221100" })
            .Pin.Should().Be("111111");
    }

    [Test]
    public void A_management_key_source_file_is_read()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("mk"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");

        YubiKeySettings.FromKms(new KmsConfig { Uri = $"yubikey:management-key-source={dir.File("mk")}" })
            .SecurityOfficerPin.Should().HaveLength(64);
    }

    [TestCase("yubikey:management-key=0102", "invalid management key length 2")]
    [TestCase("yubikey:management-key=xyz", "must be hex")]
    [TestCase("yubikey:max-sessions=0", "'max-sessions' is not valid")]
    [TestCase("yubikey:pin-value=%", "malformed percent escape")]
    public void Bad_yubikey_uris_stop_start_up_naming_kms_uri(string uri, string reason)
    {
        var open = () => YubiKeySettings.FromKms(new KmsConfig { Type = "yubikey", Uri = uri });

        var error = open.Should().Throw<CaConfigException>().Which;
        error.Errors.Single().Field.Should().Be("kms.uri");
        error.Message.Should().Contain(reason);
    }

    [Test]
    public async Task Ykcs11_loads_and_reports_that_no_yubikey_is_attached()
    {
        if (!File.Exists(Ykcs11))
        {
            Assert.Ignore($"ykcs11 is not installed at {Ykcs11} (Debian package ykcs11)");
        }
        var services = new ServiceCollection().BuildServiceProvider();

        var open = async () => await Pkcs11KmsPkiBuilderExtensions.YubiKeyRegistration.CreateAsync(
            new KeyManagerContext(new KmsConfig { Type = "yubikey", Uri = $"yubikey:module-path={Ykcs11}" }, services), CancellationToken.None);

        // With pcscd running ykcs11 lists no slot; without it C_GetSlotList reports CKR_DEVICE_ERROR.
        var message = (await open.Should().ThrowAsync<CaConfigException>()).Which.Message;
        message.Should().Contain("kms.uri").And.Contain("libykcs11").And.NotContain("123456");
        message.Should().Match(m => m.Contains("the module reports no token") || m.Contains("CKR_DEVICE_ERROR (the module cannot reach its device"));
    }

    [Test]
    public async Task The_pkcs11_calls_work_on_softhsm2_with_ykcs11s_object_layout()
    {
        await using var managers = new SoftHsmManagers();
        // Slot 9c (CKA_ID 02) made outside us, as ykcs11 shows a key generated with yubico-piv-tool.
        managers.PkcsToolKeyPair("EC:prime256v1", "02", "Private key for Digital Signature");
        var settings = Pkcs11Settings.FromKms(new KmsConfig { Type = "pkcs11", Uri = managers.KmsUri });
        // The YubiKey naming over SoftHSM2; user login creates keys here (SoftHSM2 has no PIV management key).
        var manager = (Pkcs11KeyManager)managers.Track(Pkcs11KeyManagerFactory.Open(settings with { SecurityOfficerPin = null }, YubiKeyKeyNaming.Instance, null));

        var existing = await manager.GetSignerAsync("yubikey:slot-id=9c");
        var created = await manager.CreateKeyAsync(new CreateKeyRequest("yubikey:slot-id=82", KeyAlgorithm.EcdsaP384));
        var again = async () => await manager.CreateKeyAsync(new CreateKeyRequest("82", KeyAlgorithm.EcdsaP256));
        var signature = await (await manager.GetSignerAsync("82")).SignAsync("piv"u8.ToArray());

        existing.Algorithm.Should().Be(KeyAlgorithm.EcdsaP256);
        created.KeyUri.Should().Be("yubikey:slot-id=82");
        SignatureCheck.Verify(created.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP384, "piv"u8.ToArray(), signature).Should().BeTrue();
        (await again.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Conflict);
        managers.Hsm.Run("pkcs11-tool", "--module", SoftHsm.ModulePath, "--token-label", managers.Token, "--list-objects", "--type", "pubkey")
            .Should().Contain("ID:         05", "slot 82 is ykcs11 object 5");
    }
}
