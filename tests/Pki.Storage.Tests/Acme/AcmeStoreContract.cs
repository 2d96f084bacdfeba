using System.Text;
using System.Text.Json;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Acme;
using Smallstep.Pki.Storage.Authority;

namespace Smallstep.Pki.Tests.Storage.Acme;

/// <summary>What every backend must do for ACME (storage.md §5): step-ca's bytes, compare-and-swap updates, once-only nonces, lossless order indexes. Subclass per backend.</summary>
public abstract class AcmeStoreContract
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 1, 2, 3, TimeSpan.Zero);

    protected IKeyValueStore KeyValues { get; private set; } = null!;

    private KeyValueAcmeStore Store { get; set; } = null!;

    protected abstract IKeyValueStore CreateStore();

    [SetUp]
    public async Task Open()
    {
        KeyValues = CreateStore();
        foreach (var table in AcmeTables.TableSet.Tables.Concat(StepTables.Authority))
        {
            await KeyValues.CreateTableAsync(table);
        }
        Store = new KeyValueAcmeStore(KeyValues);
    }

    [TearDown]
    public async Task Close() => await KeyValues.DisposeAsync();

    /// <summary>
    /// This store and <paramref name="otherNode"/> (a second connection pool on the same database: a
    /// second node) create orders of one account at once and race for one nonce: every order is in
    /// the account's index and the nonce is accepted exactly once.
    /// </summary>
    protected async Task TwoNodesLoseNoOrderAndAcceptANonceOnce(IKeyValueStore otherNode)
    {
        ArgumentNullException.ThrowIfNull(otherNode);
        var nodes = new[] { new KeyValueAcmeStore(KeyValues), new KeyValueAcmeStore(otherNode) };
        var ids = Enumerable.Range(0, 20).Select(i => $"n{i}").ToArray();
        await Task.WhenAll(ids.Select((id, i) => Task.Run(async () => await nodes[i % 2].CreateOrderAsync(Order(id), [], []))));
        (await nodes[1].GetOrderIdsAsync("acc1")).Should().BeEquivalentTo(ids);

        var consumed = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () => await nodes[i % 2].UseNonceAsync("shared", Now, Now.AddHours(1)))));
        consumed.Count(c => c).Should().Be(1);
        var keys = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () => (await nodes[i % 2].GetOrCreateNonceKeyAsync()).ToArray())));
        keys.Should().AllSatisfy(k => k.Should().Equal(keys[0]), "every node authenticates nonces with the first node's key");
    }

    internal static AcmeAccount Account(string id = "acc1") => new(id, """{"kty":"EC","crv":"P-256","x":"AAAA","y":"BBBB"}""", ["mailto:a@example.com"], AcmeStatus.Valid,
        "https://ca.example/acme/acme/account/", "", "acme", Now, DateTimeOffset.MinValue);

    internal static AcmeOrder Order(string id, string account = "acc1") => new(id, account, "acme/acme", [new AcmeIdentifier("dns", "example.com")], [$"az-{id}"],
        AcmeStatus.Ready, Now, Now.AddHours(24), Now, Now.AddHours(24));

    [Test]
    public async Task An_account_is_stored_as_step_ca_marshals_it_and_found_by_key()
    {
        (await Store.CreateAccountAsync(Account(), "thumb")).Should().BeTrue();

        var raw = await KeyValues.GetAsync(AcmeTables.Accounts, Encoding.UTF8.GetBytes("acc1"));
        Encoding.UTF8.GetString(raw!).Should().Be(
            """{"id":"acc1","key":{"kty":"EC","crv":"P-256","x":"AAAA","y":"BBBB"},"contact":["mailto:a@example.com"],"status":"valid","locationPrefix":"https://ca.example/acme/acme/account/","provisionerName":"acme","createdAt":"2026-12-06T01:02:03Z","deactivatedAt":"0001-01-01T00:00:00Z"}""");
        Encoding.UTF8.GetString((await KeyValues.GetAsync(AcmeTables.AccountByKeyIdIndex, Encoding.UTF8.GetBytes("thumb")))!).Should().Be("acc1");
        (await Store.GetAccountByKeyThumbprintAsync("thumb"))!.Value.Should().BeEquivalentTo(Account());
        (await Store.CreateAccountAsync(Account("acc2"), "thumb")).Should().BeFalse("one account per key");
        (await Store.GetAccountAsync("acc2")).Should().BeNull();
    }

    [Test]
    public async Task A_step_ca_order_row_reads_and_rewrites_byte_for_byte()
    {
        const string stepCa = """{"id":"o1","accountID":"acc1","provisionerID":"acme/acme","identifiers":[{"type":"dns","value":"*.example.com"},{"type":"ip","value":"10.0.0.1"}],"authorizationIDs":["z1","z2"],"status":"invalid","notBefore":"2026-12-06T01:01:03Z","notAfter":"2026-12-07T01:02:03Z","createdAt":"2026-12-06T01:02:03Z","expiresAt":"2026-12-07T01:02:03Z","error":{"type":"urn:ietf:params:acme:error:malformed","detail":"x \u003c y"}}""";
        await KeyValues.SetAsync(AcmeTables.Orders, Encoding.UTF8.GetBytes("o1"), Encoding.UTF8.GetBytes(stepCa));

        var order = (await Store.GetOrderAsync("o1"))!;
        order.Value.Error.Should().Be(AcmeProblem.Of("malformed", "x < y"));
        order.Value.Identifiers.Should().HaveCount(2);
        Encoding.UTF8.GetString(AcmeRowJson.Order(order.Value)).Should().Be(stepCa);
    }

    [Test]
    public async Task Authorization_challenge_and_eab_rows_have_step_ca_members()
    {
        var authz = new AcmeAuthorization("z1", "acc1", new AcmeIdentifier("dns", "example.com"), AcmeStatus.Pending, "tok", null, ["c1"], true, Now, Now.AddHours(24));
        var challenge = new AcmeChallenge("c1", "acc1", "z1", "dns-01", AcmeStatus.Pending, "tok", "example.com", "", Now);
        Encoding.UTF8.GetString(AcmeRowJson.Authorization(authz)).Should().Be(
            """{"id":"z1","accountID":"acc1","identifier":{"type":"dns","value":"example.com"},"status":"pending","token":"tok","challengeIDs":["c1"],"wildcard":true,"createdAt":"2026-12-06T01:02:03Z","expiresAt":"2026-12-07T01:02:03Z","error":null}""");
        Encoding.UTF8.GetString(AcmeRowJson.Challenge(challenge)).Should().Be(
            """{"id":"c1","accountID":"acc1","type":"dns-01","status":"pending","token":"tok","value":"example.com","validatedAt":"","createdAt":"2026-12-06T01:02:03Z","error":null}""");
        var eab = new AcmeExternalAccountKey("k1", "acme/acme", "ref", "", [1, 2, 3], Now, DateTimeOffset.MinValue);
        Encoding.UTF8.GetString(AcmeRowJson.ExternalAccountKey(eab)).Should().Be(
            """{"id":"k1","provisionerID":"acme/acme","reference":"ref","key":"AQID","createdAt":"2026-12-06T01:02:03Z","boundAt":"0001-01-01T00:00:00Z"}""");
        await Store.CreateOrderAsync(Order("o1"), [authz], [challenge]);
        (await Store.GetAuthorizationAsync("z1"))!.Value.Should().BeEquivalentTo(authz);
        (await Store.GetChallengeAsync("c1"))!.Value.Should().BeEquivalentTo(challenge with { AuthorizationId = "" });
    }

    [Test]
    public async Task An_update_from_a_stale_read_is_refused()
    {
        await Store.CreateAccountAsync(Account(), "thumb");
        var read = (await Store.GetAccountAsync("acc1"))!;

        (await Store.UpdateAccountAsync(read, read.Value with { Contact = ["mailto:b@example.com"] })).Should().BeTrue();
        (await Store.UpdateAccountAsync(read, read.Value with { Status = AcmeStatus.Deactivated })).Should().BeFalse();
        (await Store.GetAccountAsync("acc1"))!.Value.Contact.Should().Equal("mailto:b@example.com");
    }

    [Test]
    public async Task A_nonce_is_used_once_even_by_concurrent_requests_and_recorded_until_it_expires()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () => await Store.UseNonceAsync("n1", Now, Now.AddHours(1)))));
        outcomes.Count(o => o).Should().Be(1);
        var row = JsonDocument.Parse((await KeyValues.GetAsync(AcmeTables.Nonces, Encoding.UTF8.GetBytes("n1")))!).RootElement;
        row.GetProperty("ID").GetString().Should().Be("n1");
        row.GetProperty("ExpiresAt").GetDateTimeOffset().Should().Be(Now.AddHours(1));
    }

    [Test]
    public async Task The_nonce_key_is_created_once_and_kept()
    {
        var first = (await Store.GetOrCreateNonceKeyAsync()).ToArray();
        first.Should().HaveCount(32).And.NotEqual(new byte[32]);
        (await new KeyValueAcmeStore(KeyValues).GetOrCreateNonceKeyAsync()).ToArray().Should().Equal(first);
    }

    [Test]
    public async Task Concurrent_orders_of_one_account_from_two_stores_lose_no_index_entry()
    {
        var other = new KeyValueAcmeStore(KeyValues);
        var ids = Enumerable.Range(0, 24).Select(i => $"o{i}").ToArray();
        await Task.WhenAll(ids.Select((id, i) => Task.Run(async () => await (i % 2 == 0 ? Store : other).CreateOrderAsync(Order(id), [], []))));

        (await Store.GetOrderIdsAsync("acc1")).Should().BeEquivalentTo(ids);
    }

    [Test]
    public async Task Key_change_moves_the_index_entry_atomically()
    {
        await Store.CreateAccountAsync(Account(), "old");
        await Store.CreateAccountAsync(Account("acc2"), "taken");
        var read = (await Store.GetAccountAsync("acc1"))!;

        (await Store.ChangeAccountKeyAsync(read, read.Value with { KeyJson = """{"kty":"EC"}""" }, "old", "taken")).Should().BeFalse("the new key has an account");
        (await Store.GetAccountByKeyThumbprintAsync("old"))!.Value.Id.Should().Be("acc1");

        (await Store.ChangeAccountKeyAsync(read, read.Value with { KeyJson = """{"kty":"EC"}""" }, "old", "new")).Should().BeTrue();
        (await Store.GetAccountByKeyThumbprintAsync("old")).Should().BeNull();
        (await Store.GetAccountByKeyThumbprintAsync("new"))!.Value.KeyJson.Should().Be("""{"kty":"EC"}""");
    }

    [Test]
    public async Task Account_creation_binds_the_external_account_key_in_the_same_transaction()
    {
        await Store.CreateExternalAccountKeyAsync(new AcmeExternalAccountKey("k1", "acme/acme", "ref", "", [1, 2, 3], Now, DateTimeOffset.MinValue));
        var key = (await Store.GetExternalAccountKeyAsync("k1"))!;

        (await Store.CreateAccountAsync(Account(), "t1", key)).Should().BeTrue();
        (await Store.CreateAccountAsync(Account("acc2"), "t2", key)).Should().BeFalse("the key was bound meanwhile");
        var bound = (await Store.GetExternalAccountKeyAsync("k1"))!.Value;
        bound.AccountId.Should().Be("acc1");
        bound.HmacKey.Should().BeEmpty();
        (await Store.GetAccountAsync("acc2")).Should().BeNull();
    }

    [Test]
    public async Task Of_orders_racing_to_replace_one_certificate_exactly_one_is_created_and_a_failed_one_can_be_taken_over()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await new KeyValueAcmeStore(KeyValues).CreateOrderAsync(Order($"r{i}"), [], [], new AcmeReplacement("cert1", null)))));

        outcomes.Count(o => o).Should().Be(1);
        var winner = (await Store.GetReplacingOrderIdAsync("cert1"))!;
        outcomes[int.Parse(winner.Value[1..], System.Globalization.CultureInfo.InvariantCulture)].Should().BeTrue();
        (await Store.GetOrderAsync($"r{(winner.Value == "r0" ? 1 : 0)}")).Should().BeNull("a loser writes nothing");
        (await Store.CreateOrderAsync(Order("taker"), [], [], new AcmeReplacement("cert1", winner))).Should().BeTrue();
        (await Store.GetReplacingOrderIdAsync("cert1"))!.Value.Should().Be("taker");
        (await Store.CreateOrderAsync(Order("late"), [], [], new AcmeReplacement("cert1", winner))).Should().BeFalse("the claim read is stale");
    }

    [Test]
    public async Task Finalize_records_the_order_acme_cert_and_serial_with_the_certificate()
    {
        await Store.CreateOrderAsync(Order("o1"), [], []);
        var read = (await Store.GetOrderAsync("o1"))!;
        var step = Store.FinalizeOrder(read, read.Value with { Status = AcmeStatus.Valid, CertificateId = "cert1" }, "CHAIN\n", Now);
        var certificates = new KeyValueCertificateStore(KeyValues);

        await certificates.RecordAsync(new StoredCertificate("1234", [0x30, 0x00], null), [step]);

        (await Store.GetOrderAsync("o1"))!.Value.Status.Should().Be(AcmeStatus.Valid);
        var cert = (await Store.GetCertificateAsync("cert1"))!;
        cert.LeafPem.Should().Be("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n");
        cert.IntermediatesPem.Should().Be("CHAIN\n");
        (await Store.GetCertificateIdBySerialAsync("1234")).Should().Be("cert1");
        Encoding.UTF8.GetString((await KeyValues.GetAsync(AcmeTables.SerialCertificatesIndex, Encoding.UTF8.GetBytes("1234")))!).Should().Be("""{"serial":"1234","certificateID":"cert1"}""");

        var again = async () => await certificates.RecordAsync(new StoredCertificate("5678", [0x30, 0x00], null), [step]);
        (await again.Should().ThrowAsync<PkiException>()).Which.ProblemType.Should().EndWith("orderNotReady");
        (await certificates.GetDerAsync("5678")).Should().BeNull("a stale order writes nothing");
        (await Store.GetCertificateIdBySerialAsync("5678")).Should().BeNull();
    }
}

[TestFixture]
public sealed class MemoryAcmeStoreTests : AcmeStoreContract
{
    protected override IKeyValueStore CreateStore() => new Smallstep.Pki.Storage.Memory.MemoryKeyValueStore();
}

[TestFixture]
public sealed class SqliteAcmeStoreTests : AcmeStoreContract
{
    private TempDirectory _directory = null!;

    [OneTimeSetUp]
    public void CreateDirectory() => _directory = new TempDirectory();

    [OneTimeTearDown]
    public void DeleteDirectory() => _directory.Dispose();

    private string _path = "";

    protected override IKeyValueStore CreateStore()
    {
        _path = _directory.File($"{Guid.NewGuid():N}.sqlite");
        return Open(_path);
    }

    private static Smallstep.Pki.Storage.Sqlite.SqliteKeyValueStore Open(string path) =>
        new(new Smallstep.Pki.Storage.Sqlite.SqliteKeyValueStoreOptions { Path = path, Tables = [.. AcmeTables.TableSet.Tables, .. StepTables.Authority] });

    [Test]
    public async Task Two_nodes_on_one_database_lose_no_order_and_accept_a_nonce_once()
    {
        await using var otherNode = Open(_path);
        await TwoNodesLoseNoOrderAndAcceptANonceOnce(otherNode);
    }
}
