using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Storage.Contract;

/// <summary>
/// The behaviour every <see cref="IKeyValueStore"/> backend must have (nosql's semantics, storage.md §1).
/// Subclass once per backend and return a fresh, empty store from <see cref="CreateStore"/>.
/// </summary>
public abstract partial class KeyValueStoreContract
{
    /// <summary>A table every test starts with.</summary>
    protected const string Table = "contract_table";

    /// <summary>The store under test, created before each test.</summary>
    protected IKeyValueStore Store { get; private set; } = null!;

    /// <summary>Creates a new, empty store.</summary>
    protected abstract IKeyValueStore CreateStore();

    [SetUp]
    public async Task CreateStoreWithTable()
    {
        Store = CreateStore();
        await Store.CreateTableAsync(Table);
    }

    [TearDown]
    public async Task DisposeStore() => await Store.DisposeAsync();

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public async Task CreateTable_is_idempotent_and_keeps_rows()
    {
        await Store.SetAsync(Table, Bytes("k"), Bytes("v"));
        await Store.CreateTableAsync(Table);
        await Store.CreateTableAsync(Table);
        (await Store.GetAsync(Table, Bytes("k"))).Should().Equal(Bytes("v"));
    }

    [Test]
    public async Task Get_of_a_missing_key_is_null()
    {
        (await Store.GetAsync(Table, Bytes("absent"))).Should().BeNull();
    }

    [Test]
    public async Task Set_inserts_and_then_replaces()
    {
        await Store.SetAsync(Table, Bytes("k"), Bytes("one"));
        await Store.SetAsync(Table, Bytes("k"), Bytes("two"));
        (await Store.GetAsync(Table, Bytes("k"))).Should().Equal(Bytes("two"));
    }

    [Test]
    public async Task Delete_reports_whether_the_key_existed()
    {
        await Store.SetAsync(Table, Bytes("k"), Bytes("v"));
        (await Store.DeleteAsync(Table, Bytes("k"))).Should().BeTrue();
        (await Store.DeleteAsync(Table, Bytes("k"))).Should().BeFalse();
        (await Store.GetAsync(Table, Bytes("k"))).Should().BeNull();
    }

    [Test]
    public async Task List_returns_every_entry_ordered_by_unsigned_key_bytes()
    {
        byte[][] keys = [[0xFF], [0x00, 0x00], Bytes("a"), [], [0x01], [0x00], [0x80, 0x00]];
        foreach (var key in keys)
        {
            await Store.SetAsync(Table, key, new[] { (byte)key.Length });
        }
        var listed = await Store.ListAsync(Table).ToListAsync();
        listed.Select(e => Convert.ToHexString(e.Key)).Should().Equal("", "00", "0000", "01", "61", "8000", "FF");
        listed.Should().OnlyContain(e => e.Value.Length == 1 && e.Value[0] == e.Key.Length);
    }

    [Test]
    public async Task List_of_an_empty_table_is_empty()
    {
        (await Store.ListAsync(Table).ToListAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task Keys_and_values_are_arbitrary_bytes()
    {
        var key = Enumerable.Range(0, 255).Select(i => (byte)(255 - i)).ToArray();
        var value = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        await Store.SetAsync(Table, key, value);
        await Store.SetAsync(Table, new byte[] { 0 }, Array.Empty<byte>());
        (await Store.GetAsync(Table, key)).Should().Equal(value);
        (await Store.GetAsync(Table, new byte[] { 0 })).Should().NotBeNull().And.BeEmpty("an empty value is present, not absent");
        (await Store.GetAsync(Table, new byte[] { 0, 0 })).Should().BeNull("keys are compared as bytes, not as C strings");
    }

    [Test]
    public async Task A_slice_of_a_larger_buffer_is_stored_as_exactly_that_slice()
    {
        var buffer = Bytes("xxKEYyyVALUEzz");
        await Store.SetAsync(Table, buffer.AsMemory(2, 3), buffer.AsMemory(7, 5));
        (await Store.GetAsync(Table, Bytes("KEY"))).Should().Equal(Bytes("VALUE"));
    }

    [Test]
    public async Task Stored_bytes_do_not_change_when_callers_reuse_their_buffers()
    {
        var key = Bytes("k");
        var value = Bytes("original");
        await Store.SetAsync(Table, key, value);
        value[0] = (byte)'X';
        var read = (await Store.GetAsync(Table, key))!;
        read[1] = (byte)'Y';
        (await Store.GetAsync(Table, key)).Should().Equal(Bytes("original"));
    }

    [Test]
    public async Task Keys_of_255_bytes_are_accepted_and_longer_keys_rejected_by_every_operation()
    {
        var longest = new byte[255];
        await Store.SetAsync(Table, longest, Bytes("v"));
        (await Store.GetAsync(Table, longest)).Should().Equal(Bytes("v"));

        var tooLong = new byte[256];
        var attempts = new Func<Task>[]
        {
            async () => await Store.SetAsync(Table, tooLong, Bytes("v")),
            async () => await Store.GetAsync(Table, tooLong),
            async () => await Store.DeleteAsync(Table, tooLong),
            async () => await Store.CompareAndSwapAsync(Table, tooLong, null, Bytes("v")),
            async () => await Store.ApplyAsync([KeyValueOperation.Set(Table, Bytes("ok"), Bytes("v")), KeyValueOperation.Set(Table, tooLong, Bytes("v"))]),
        };
        foreach (var attempt in attempts)
        {
            (await attempt.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.BadRequest);
        }
        (await Store.GetAsync(Table, Bytes("ok"))).Should().BeNull("a batch with a bad key writes nothing");
    }

    [Test]
    public async Task Tables_are_separate_and_mixed_case_names_work()
    {
        const string mixedCase = "acme_keyID_accountID_index";
        await Store.CreateTableAsync(mixedCase);
        await Store.SetAsync(Table, Bytes("k"), Bytes("in contract_table"));
        await Store.SetAsync(mixedCase, Bytes("k"), Bytes("in mixed case"));
        (await Store.GetAsync(Table, Bytes("k"))).Should().Equal(Bytes("in contract_table"));
        (await Store.GetAsync(mixedCase, Bytes("k"))).Should().Equal(Bytes("in mixed case"));
    }

    [Test]
    public async Task Operations_on_a_table_never_created_fail_with_an_internal_error()
    {
        (await Store.Awaiting(s => s.GetAsync("never_created", Bytes("k")).AsTask()).Should().ThrowAsync<PkiException>())
            .Which.Kind.Should().Be(PkiErrorKind.Internal);
        (await Store.Awaiting(s => s.SetAsync("never_created", Bytes("k"), Bytes("v")).AsTask()).Should().ThrowAsync<PkiException>())
            .Which.Kind.Should().Be(PkiErrorKind.Internal);
        var batch = new[] { KeyValueOperation.Set(Table, Bytes("k"), Bytes("v")), KeyValueOperation.Set("never_created", Bytes("k"), Bytes("v")) };
        await Store.Awaiting(s => s.ApplyAsync(batch).AsTask()).Should().ThrowAsync<PkiException>();
        (await Store.GetAsync(Table, Bytes("k"))).Should().BeNull();
    }

    [Test]
    public async Task Invalid_table_names_are_rejected()
    {
        await Store.Awaiting(s => s.CreateTableAsync("").AsTask()).Should().ThrowAsync<ArgumentException>();
        await Store.Awaiting(s => s.CreateTableAsync("sqlite_master").AsTask()).Should().ThrowAsync<ArgumentException>();
        await Store.Awaiting(s => s.CreateTableAsync("bad\0name").AsTask()).Should().ThrowAsync<ArgumentException>();
    }

    [Test]
    public async Task A_table_name_with_a_double_quote_is_a_table_not_an_injection()
    {
        const string odd = "odd\"; DROP TABLE contract_table; --";
        await Store.CreateTableAsync(odd);
        await Store.SetAsync(odd, Bytes("k"), Bytes("v"));
        await Store.SetAsync(Table, Bytes("k"), Bytes("still here"));
        (await Store.GetAsync(odd, Bytes("k"))).Should().Equal(Bytes("v"));
        (await Store.GetAsync(Table, Bytes("k"))).Should().Equal(Bytes("still here"));
    }
}
