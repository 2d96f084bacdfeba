using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Pkcs11;

namespace Smallstep.Pki.Tests.Kms.Pkcs11;

/// <summary>step's pkcs11 URIs (go.step.sm/crypto kms/pkcs11 and kms/uri): the kms block's token and login, and key names.</summary>
public class Pkcs11UriTests
{
    [Test]
    public void Kms_uri_gives_module_token_pin_and_sessions()
    {
        var settings = Pkcs11Settings.FromKms(new KmsConfig { Type = "pkcs11", Uri = "pkcs11:module-path=/opt/hsm/lib.so;token=step-ca;max-sessions=8?pin-value=s3cret" });

        settings.ModulePath.Should().Be("/opt/hsm/lib.so");
        settings.TokenLabel.Should().Be("step-ca");
        settings.MaxSessions.Should().Be(8);
        settings.Pin.Should().Be("s3cret");
        settings.ToString().Should().NotContain("s3cret");
    }

    [Test]
    public void Kms_uri_pin_takes_precedence_over_kms_pin_which_fills_in_when_the_uri_has_none()
    {
        Pkcs11Settings.FromKms(new KmsConfig { Uri = "pkcs11:token=a?pin-value=fromuri", Pin = "fromfield" }).Pin.Should().Be("fromuri");
        Pkcs11Settings.FromKms(new KmsConfig { Uri = "pkcs11:token=a", Pin = "fromfield" }).Pin.Should().Be("fromfield");
    }

    [Test]
    public void Without_any_pin_the_token_is_used_without_login_and_the_module_defaults_to_p11_kit()
    {
        var settings = Pkcs11Settings.FromKms(new KmsConfig { Uri = "pkcs11:slot-id=5" });

        settings.Pin.Should().BeNull();
        settings.SlotId.Should().Be(5);
        settings.ModulePath.Should().Be("p11-kit-proxy.so");
        settings.MaxSessions.Should().Be(1024);
    }

    [Test]
    public void Pin_source_is_read_and_trimmed_and_an_unreadable_one_names_the_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("pin.txt"), "4321\n");

        Pkcs11Settings.FromKms(new KmsConfig { Uri = $"pkcs11:serial=1a2b?pin-source={dir.File("pin.txt")}" }).Pin.Should().Be("4321");
        var missing = () => Pkcs11Settings.FromKms(new KmsConfig { Uri = $"pkcs11:serial=1a2b?pin-source={dir.File("nope.txt")}" });
        missing.Should().Throw<CaConfigException>().Which.Message.Should().Contain("kms.uri").And.Contain("nope.txt");
    }

    [TestCase("pkcs11:module-path=/x.so", "'token', 'serial' or 'slot-id' is required")]
    [TestCase("pkcs11:token=a;serial=b", "mutually exclusive")]
    [TestCase("pkcs11:token=a;slot-id=1", "mutually exclusive")]
    [TestCase("pkcs11:slot-id=-1", "'slot-id' is not valid")]
    [TestCase("pkcs11:slot-id=99999999999999999999999", "'slot-id' is not valid")]
    [TestCase("pkcs11:token=a;max-sessions=0", "'max-sessions' must be at least 1")]
    [TestCase("pkcs11:token=a;max-sessions=1e9", "'max-sessions' is not valid")]
    [TestCase("pkcs11:token=a;max-sessions=4294967296", "'max-sessions' is not valid")]
    [TestCase("pkcs11:token=%zz?pin-value=secret", "malformed percent escape")]
    [TestCase("pkcs11:token=a\u0000b?pin-value=secret", "control character")]
    [TestCase("softkms:token=a?pin-value=secret", "not a pkcs11: URI")]
    public void Hostile_or_wrong_kms_uris_stop_start_up_naming_kms_uri_without_the_pin(string uri, string reason)
    {
        var open = () => Pkcs11Settings.FromKms(new KmsConfig { Type = "pkcs11", Uri = uri });

        var error = open.Should().Throw<CaConfigException>().Which;
        error.Errors.Should().ContainSingle().Which.Field.Should().Be("kms.uri");
        error.Message.Should().Contain(reason).And.NotContain("secret");
    }

    [Test]
    public void A_kms_block_without_uri_is_refused_naming_kms_uri()
    {
        var open = () => Pkcs11Settings.FromKms(new KmsConfig { Type = "pkcs11", Pin = "1234" });

        open.Should().Throw<CaConfigException>().Which.Errors.Single().Field.Should().Be("kms.uri");
    }

    [TestCase("pkcs11:id=7331;object=root-ca", "7331", "root-ca")]
    [TestCase("pkcs11:id=%0a%10", "0a10", null)]
    [TestCase("pkcs11:id=%a1%ff", "a1ff", null)]
    [TestCase("pkcs11:id=0x0A10", "0a10", null)]
    [TestCase("pkcs11:id=0a:10", "0a10", null)]
    [TestCase("pkcs11:id=abc", "0abc", null)]
    [TestCase("pkcs11:object=my%20key", null, "my key")]
    [TestCase("pkcs11:object=cl%C3%A9+ca", null, "clé ca")]
    [TestCase("pkcs11:token=other;object=k?pin-value=ignored", null, "k")]
    [TestCase("PKCS11:id=01", "01", null)]
    public void Key_uris_name_cka_id_and_label_as_step_reads_them(string uri, string? idHex, string? label)
    {
        var name = Pkcs11UriKeyNaming.Instance.Parse(uri);

        (name.Id is null ? null : Convert.ToHexStringLower(name.Id)).Should().Be(idHex);
        name.Label.Should().Be(label);
    }

    [Test]
    public void A_non_hex_id_is_its_bytes()
    {
        Pkcs11UriKeyNaming.Instance.Parse("pkcs11:id=key-1").Id.Should().Equal("key-1"u8.ToArray());
    }

    [TestCase("pkcs11:token=a")]
    [TestCase("pkcs11:id=;object=")]
    [TestCase("awskms:key-id=x")]
    [TestCase("pkcs11:id=%4")]
    public void Key_uris_naming_nothing_are_bad_requests(string uri)
    {
        var parse = () => Pkcs11UriKeyNaming.Instance.Parse(uri);

        parse.Should().Throw<PkiException>().Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }

    [Test]
    public void A_new_key_needs_both_id_and_object_as_in_step()
    {
        var create = () => Pkcs11UriKeyNaming.Instance.ForCreate("pkcs11:object=only-label");

        create.Should().Throw<PkiException>().Which.Message.Should().Contain("both 'id' and 'object'");
        Pkcs11UriKeyNaming.Instance.ForCreate("pkcs11:id=01;object=k").KeyUri.Should().Be("pkcs11:id=01;object=k");
    }
}
