using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance.Recording;
using System.Text;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;

namespace Smallstep.Pki.Tests.Authority;

/// <summary>SSH certificates are written in step-ca's rows (db/db.go StoreSSHCertificate), together with the burned token.</summary>
public sealed class KeyValueSshCertificateStoreTests
{
    private static readonly SshPublicKey Key = SshPublicKey.ParseAuthorizedKey(Fixtures.Text("issued", "ssh-user-key.pub"));

    private static SshCertificate Certificate(SshCertificateType type, ulong serial, params string[] principals) =>
        new("ssh-ed25519-cert-v01@openssh.com", new byte[] { 1, 2, 3, (byte)serial },
            new SshCertificateDescription { Type = type, Serial = serial, Principals = principals, ValidBefore = DateTimeOffset.FromUnixTimeSeconds(1900000000) }, Key);

    [Test]
    public async Task Host_and_user_principals_are_indexed_lower_cased_with_the_token_burned_once()
    {
        await using var kv = new MemoryKeyValueStore(StepTables.Authority);
        var store = new KeyValueSshCertificateStore(kv);

        await store.RecordAsync([Certificate(SshCertificateType.Host, 42, "Web.Example"), Certificate(SshCertificateType.User, 43, "Alice")], [new OneTimeTokenUse("jti-1", "token")]);
        var replayed = () => store.RecordAsync([Certificate(SshCertificateType.User, 44, "bob")], [new OneTimeTokenUse("jti-1", "token")]).AsTask();
        (await replayed.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);

        (await store.GetAsync(42)).Should().Equal(1, 2, 3, 42);
        Encoding.ASCII.GetString((await kv.GetAsync(StepTables.SshHosts, "web.example"u8.ToArray()))!).Should().Be("42");
        Encoding.ASCII.GetString((await kv.GetAsync(StepTables.SshHostPrincipals, "web.example"u8.ToArray()))!).Should().Be("""{"Serial":"42","Expiry":1900000000}""");
        Encoding.ASCII.GetString((await kv.GetAsync(StepTables.SshUsers, "alice"u8.ToArray()))!).Should().Be("43");
        (await store.GetAsync(44)).Should().BeNull("a refused batch writes nothing");
        (await kv.GetAsync(StepTables.UsedOtt, "jti-1"u8.ToArray())).Should().Equal("token"u8.ToArray());
    }
}
