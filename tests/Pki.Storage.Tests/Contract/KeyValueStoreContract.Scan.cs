using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Storage.Contract;

/// <summary>Paged scans with a start-after cursor and table discovery, on every backend.</summary>
public abstract partial class KeyValueStoreContract
{
    [Test]
    public async Task Scan_returns_every_entry_in_key_order_across_many_pages()
    {
        // 2,345 rows span three pages of 1,000; keys are decimal serials, whose byte order is not numeric order.
        var keys = Enumerable.Range(0, 2345).Select(i => (i * 7919 % 100_003).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await Store.ApplyAsync(keys.Select(k => KeyValueOperation.Set(Table, Bytes(k), Bytes("v" + k))).ToList());

        var scanned = await Store.ScanAsync(Table).ToListAsync();

        scanned.Select(e => System.Text.Encoding.UTF8.GetString(e.Key)).Should().Equal(keys.Order(StringComparer.Ordinal));
        scanned.Should().OnlyContain(e => System.Text.Encoding.UTF8.GetString(e.Value) == "v" + System.Text.Encoding.UTF8.GetString(e.Key));
    }

    [Test]
    public async Task Scan_after_a_key_starts_strictly_after_it_whether_or_not_it_exists()
    {
        byte[][] keys = [[], [0x00], [0x00, 0x00], [0x01], Bytes("a"), Bytes("ab"), [0xFF]];
        foreach (var key in keys)
        {
            await Store.SetAsync(Table, key, Bytes("v"));
        }

        (await Keys(Store.ScanAsync(Table, Bytes("a")))).Should().Equal("6162", "FF");
        (await Keys(Store.ScanAsync(Table, Bytes("aa")))).Should().Equal(new[] { "6162", "FF" }, "'aa' is absent and 'ab' sorts after it");
        (await Keys(Store.ScanAsync(Table, Array.Empty<byte>()))).Should().Equal("00", "0000", "01", "61", "6162", "FF");
        (await Keys(Store.ScanAsync(Table))).Should().Equal("", "00", "0000", "01", "61", "6162", "FF");
        (await Keys(Store.ScanAsync(Table, new byte[] { 0xFF }))).Should().BeEmpty();
    }

    [Test]
    public async Task A_scan_resumed_from_its_last_key_sees_each_row_once_while_rows_are_deleted()
    {
        await Store.ApplyAsync(Enumerable.Range(0, 1500).Select(i => KeyValueOperation.Set(Table, Bytes($"{i:D5}"), Bytes("v"))).ToList());
        var seen = new List<string>();
        await foreach (var entry in Store.ScanAsync(Table))
        {
            seen.Add(System.Text.Encoding.UTF8.GetString(entry.Key));
            // Deleting what was just read (as a prune does) must not make the scan skip or repeat rows.
            await Store.DeleteAsync(Table, entry.Key);
            if (seen.Count == 700)
            {
                break;
            }
        }
        await foreach (var entry in Store.ScanAsync(Table, Bytes(seen[^1])))
        {
            seen.Add(System.Text.Encoding.UTF8.GetString(entry.Key));
        }
        seen.Should().Equal(Enumerable.Range(0, 1500).Select(i => $"{i:D5}"));
    }

    [Test]
    public async Task Scan_of_a_table_never_created_fails_with_an_internal_error()
    {
        var error = await Store.Awaiting(s => s.ScanAsync("never_created").ToListAsync().AsTask()).Should().ThrowAsync<Errors.PkiException>();
        error.Which.Kind.Should().Be(Errors.PkiErrorKind.Internal);
    }

    [Test]
    public async Task ListTables_names_every_bucket_sorted_and_with_its_exact_case()
    {
        await Store.CreateTableAsync("acme_keyID_accountID_index");
        await Store.CreateTableAsync("x509_certs");
        await Store.CreateTableAsync("acme_authzs");

        var tables = await Store.ListTablesAsync();

        tables.Should().Equal("acme_authzs", "acme_keyID_accountID_index", Table, "x509_certs");
    }

    private static async Task<List<string>> Keys(IAsyncEnumerable<KeyValueEntry> entries) =>
        (await entries.ToListAsync()).Select(e => Convert.ToHexString(e.Key)).ToList();
}
