using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Tests.Storage.Query;

namespace Smallstep.Pki.Tests.Storage.Retention;

/// <summary>
/// A store with one row of every kind a prune must remove or keep, around <see cref="Now"/> and a
/// cutoff of <see cref="Cutoff"/> (a day earlier). Names say what the prune must do with each row.
/// </summary>
internal static class RetentionScenario
{
    public static readonly DateTimeOffset Now = new(2031, 3, 10, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Cutoff = Now.AddDays(-1);
    private static readonly DateTimeOffset LongAgo = Now.AddDays(-40);

    public static readonly string[] AcmeTables =
    [
        "acme_orders", "acme_account_orders_index", "acme_authzs", "acme_challenges", "nonces", "acme_certs", "acme_serial_certs_index", "wire_acme_dpop_token",
    ];

    /// <summary>SSH certificates signed once per test run by ssh-keygen: expired (2020), expired and revoked, valid until 2099.</summary>
    public static (byte[] Expired, byte[] ExpiredRevoked, byte[] Valid) SshCertificates { get; } = SignSsh();

    public static async Task FillAsync(IKeyValueStore store)
    {
        foreach (var table in AcmeTables)
        {
            await store.CreateTableAsync(table);
        }
        // X.509: serial 1xx = remove, 2xx = keep.
        await GeneratedCertificates.StoreAsync(store, "101", "expired", LongAgo, Cutoff.AddSeconds(-1));
        await store.SetAsync(StepTables.X509Certs, Key("102"), SelfSignedCertificates.Create("102", "CN=renewed-no-metadata", LongAgo, Cutoff.AddDays(-3)));
        await GeneratedCertificates.StoreAsync(store, "201", "expired-revoked", LongAgo, Cutoff.AddDays(-2));
        await new KeyValueRevocationStore(store).TryRevokeAsync(new RevocationRecord("201", "p", 1, "keyCompromise", LongAgo, Cutoff.AddDays(-2), "", false, false));
        await GeneratedCertificates.StoreAsync(store, "202", "expires-at-cutoff", LongAgo, Cutoff);
        await GeneratedCertificates.StoreAsync(store, "203", "valid", LongAgo, Now.AddDays(30));
        await store.SetAsync(StepTables.X509Certs, Key("204"), Encoding.ASCII.GetBytes("not DER"));
        // SSH.
        await store.SetAsync(StepTables.SshCerts, Key("111"), SshCertificates.Expired);
        await store.SetAsync(StepTables.SshCerts, Key("211"), SshCertificates.ExpiredRevoked);
        await store.SetAsync(StepTables.RevokedSshCerts, Key("211"), Encoding.ASCII.GetBytes("{\"Serial\":\"211\"}"));
        await store.SetAsync(StepTables.SshCerts, Key("212"), SshCertificates.Valid);
        // Used tokens.
        var expired = Token(new { jti = "jti-expired", exp = Cutoff.AddMinutes(-5).ToUnixTimeSeconds() });
        await store.SetAsync(StepTables.UsedOtt, Key("jti-expired"), Key(expired));
        var oidc = Token(new { nonce = "oidc-nonce", exp = LongAgo.ToUnixTimeSeconds() });
        await store.SetAsync(StepTables.UsedOtt, Key("oidc-nonce"), Key(oidc));
        var hashed = Token(new { sub = "no jti", exp = LongAgo.ToUnixTimeSeconds() });
        await store.SetAsync(StepTables.UsedOtt, Key(Convert.ToHexStringLower(SHA256.HashData(Key(hashed)))), Key(hashed));
        await store.SetAsync(StepTables.UsedOtt, Key("jti-live"), Key(Token(new { jti = "jti-live", exp = Cutoff.AddMinutes(5).ToUnixTimeSeconds() })));
        var tofu = Convert.ToHexStringLower(SHA256.HashData(Key("aws/prod.i-0123456789")));
        await store.SetAsync(StepTables.UsedOtt, Key(tofu), Key(Token(new { jti = "aws-jti", exp = LongAgo.ToUnixTimeSeconds() })));
        await store.SetAsync(StepTables.UsedOtt, Key("unreadable"), Key("not.a-token"));
        await store.SetAsync(StepTables.UsedOtt, Key("no-exp"), Key(Token(new { jti = "no-exp" })));
        // ACME: orders O1 (valid, expired) and O2 (pending, abandoned) go, O3 (pending, live) stays.
        await Json(store, "acme_orders", "O1", $$"""{"id":"O1","accountID":"A1","status":"valid","expiresAt":"{{Go(Cutoff.AddHours(-2))}}","certificate":"C1"}""");
        await Json(store, "acme_orders", "O2", $$"""{"id":"O2","accountID":"A1","status":"pending","expiresAt":"{{Go(LongAgo)}}"}""");
        await Json(store, "acme_orders", "O3", $$"""{"id":"O3","accountID":"A1","status":"pending","expiresAt":"{{Go(Now.AddHours(20))}}"}""");
        await Json(store, "acme_orders", "O4", """{"id":"O4","status":"valid"}""");
        await Json(store, "wire_acme_dpop_token", "O1", """{"id":"O1","content":"e30="}""");
        await Json(store, "acme_account_orders_index", "A1", """["O2","O3"]""");
        await Json(store, "acme_account_orders_index", "A2", """["O1"]""");
        await Json(store, "acme_authzs", "Z1", $$"""{"id":"Z1","status":"valid","challengeIDs":["H1","H2"],"expiresAt":"{{Go(LongAgo)}}"}""");
        await Json(store, "acme_authzs", "Z2", $$"""{"id":"Z2","status":"pending","challengeIDs":["H3"],"expiresAt":"{{Go(Now.AddHours(20))}}"}""");
        foreach (var challenge in (string[])["H1", "H2", "H3"])
        {
            await Json(store, "acme_challenges", challenge, $$"""{"id":"{{challenge}}","status":"pending","createdAt":"{{Go(LongAgo)}}"}""");
        }
        await Json(store, "nonces", "N1", $$"""{"ID":"N1","CreatedAt":"{{Go(LongAgo)}}","DeletedAt":"0001-01-01T00:00:00Z"}""");
        await Json(store, "nonces", "N2", $$"""{"ID":"N2","CreatedAt":"{{Go(Now.AddMinutes(-2))}}","DeletedAt":"0001-01-01T00:00:00Z"}""");
        // Used nonces (ours): kept while the nonce itself is unexpired, however long ago it was used.
        await Json(store, "nonces", "N3", $$"""{"ID":"N3","CreatedAt":"{{Go(LongAgo)}}","DeletedAt":"{{Go(LongAgo)}}","ExpiresAt":"{{Go(Now.AddMinutes(5))}}"}""");
        await Json(store, "nonces", "N4", $$"""{"ID":"N4","CreatedAt":"{{Go(LongAgo)}}","DeletedAt":"{{Go(LongAgo)}}","ExpiresAt":"{{Go(LongAgo.AddHours(1))}}"}""");
        await AcmeCertificateAsync(store, "C1", "301", Cutoff.AddDays(-1));
        await AcmeCertificateAsync(store, "C2", "201", Cutoff.AddDays(-2));
        await AcmeCertificateAsync(store, "C3", "302", Now.AddDays(5));
    }

    /// <summary>Every (table, key) that must be gone after a prune at <see cref="Cutoff"/>.</summary>
    public static readonly (string Table, string Key)[] Removed =
    [
        ("x509_certs", "101"), ("x509_certs_data", "101"), ("x509_certs", "102"), ("ssh_certs", "111"),
        ("used_ott", "jti-expired"), ("used_ott", "oidc-nonce"),
        ("acme_orders", "O1"), ("acme_orders", "O2"), ("wire_acme_dpop_token", "O1"), ("acme_account_orders_index", "A2"),
        ("acme_authzs", "Z1"), ("acme_challenges", "H1"), ("acme_challenges", "H2"), ("nonces", "N1"), ("nonces", "N4"),
        ("acme_certs", "C1"), ("acme_serial_certs_index", "301"),
    ];

    /// <summary>Every (table, key) that must still be there.</summary>
    public static readonly (string Table, string Key)[] Kept =
    [
        ("x509_certs", "201"), ("x509_certs_data", "201"), ("revoked_x509_certs", "201"), ("x509_certs", "202"), ("x509_certs", "203"), ("x509_certs", "204"),
        ("ssh_certs", "211"), ("revoked_ssh_certs", "211"), ("ssh_certs", "212"),
        ("used_ott", "jti-live"), ("used_ott", "unreadable"), ("used_ott", "no-exp"),
        ("acme_orders", "O3"), ("acme_orders", "O4"), ("acme_account_orders_index", "A1"), ("acme_authzs", "Z2"), ("acme_challenges", "H3"), ("nonces", "N2"), ("nonces", "N3"),
        ("acme_certs", "C2"), ("acme_serial_certs_index", "201"), ("acme_certs", "C3"), ("acme_serial_certs_index", "302"),
    ];

    public static byte[] Key(string text) => Encoding.UTF8.GetBytes(text);

    private static string Go(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static Task Json(IKeyValueStore store, string table, string key, string json) => store.SetAsync(table, Key(key), Key(json)).AsTask();

    private static string Token(object claims)
    {
        static string Part(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Part(Key("""{"alg":"ES256","typ":"JWT"}""")) + "." + Part(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(claims)) + "." + Part([1, 2, 3]);
    }

    private static async Task AcmeCertificateAsync(IKeyValueStore store, string id, string serial, DateTimeOffset notAfter)
    {
        var pem = System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", SelfSignedCertificates.Create(serial, "CN=acme-" + id, LongAgo, notAfter));
        await Json(store, "acme_certs", id, $$"""{"id":"{{id}}","leaf":"{{Convert.ToBase64String(Encoding.ASCII.GetBytes(pem))}}","intermediates":""}""");
        await Json(store, "acme_serial_certs_index", serial, $$"""{"serial":"{{serial}}","certificateID":"{{id}}"}""");
    }

    private static (byte[], byte[], byte[]) SignSsh()
    {
        using var directory = new TempDirectory();
        ExternalCommand.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.File("ca"));
        ExternalCommand.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.File("key"));
        byte[] Sign(string serial, string validity)
        {
            ExternalCommand.Run("ssh-keygen", "-q", "-s", directory.File("ca"), "-I", "id-" + serial, "-n", "u", "-z", serial, "-V", validity, directory.File("key.pub"));
            return Convert.FromBase64String(File.ReadAllText(directory.File("key-cert.pub")).Split(' ')[1]);
        }
        return (Sign("111", "20200101000000Z:20200102000000Z"), Sign("211", "20200101000000Z:20200102000000Z"), Sign("212", "20200101000000Z:20990101000000Z"));
    }
}
