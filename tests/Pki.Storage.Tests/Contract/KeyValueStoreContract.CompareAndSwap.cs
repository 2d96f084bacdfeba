using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Storage.Contract;

public abstract partial class KeyValueStoreContract
{
    [Test]
    public async Task CompareAndSwap_with_null_expected_inserts_only_when_absent()
    {
        var first = await Store.CompareAndSwapAsync(Table, Bytes("k"), null, Bytes("first"));
        var second = await Store.CompareAndSwapAsync(Table, Bytes("k"), null, Bytes("second"));

        first.Should().Be(new CompareAndSwapResult(true, null));
        second.Swapped.Should().BeFalse();
        second.Current.Should().Equal(Bytes("first"));
        (await Store.GetAsync(Table, Bytes("k"))).Should().Equal(Bytes("first"));
    }

    [Test]
    public async Task CompareAndSwap_with_the_current_value_swaps()
    {
        await Store.SetAsync(Table, Bytes("k"), Bytes("old"));
        var result = await Store.CompareAndSwapAsync(Table, Bytes("k"), Bytes("old"), Bytes("new"));
        result.Swapped.Should().BeTrue();
        (await Store.GetAsync(Table, Bytes("k"))).Should().Equal(Bytes("new"));
    }

    [Test]
    public async Task CompareAndSwap_with_another_value_returns_the_current_value_and_writes_nothing()
    {
        await Store.SetAsync(Table, Bytes("k"), Bytes("actual"));
        var result = await Store.CompareAndSwapAsync(Table, Bytes("k"), Bytes("stale"), Bytes("new"));
        result.Swapped.Should().BeFalse();
        result.Current.Should().Equal(Bytes("actual"));
        (await Store.GetAsync(Table, Bytes("k"))).Should().Equal(Bytes("actual"));
    }

    [Test]
    public async Task CompareAndSwap_expecting_a_value_on_an_absent_key_fails_with_null_current()
    {
        var result = await Store.CompareAndSwapAsync(Table, Bytes("k"), Bytes("anything"), Bytes("new"));
        result.Should().Be(new CompareAndSwapResult(false, null));
        (await Store.GetAsync(Table, Bytes("k"))).Should().BeNull();
    }

    [Test]
    public async Task An_empty_expected_value_means_present_and_empty_not_absent()
    {
        (await Store.CompareAndSwapAsync(Table, Bytes("k"), Array.Empty<byte>(), Bytes("x"))).Swapped.Should().BeFalse();
        await Store.SetAsync(Table, Bytes("k"), Array.Empty<byte>());
        (await Store.CompareAndSwapAsync(Table, Bytes("k"), null, Bytes("x"))).Current.Should().NotBeNull().And.BeEmpty();
        (await Store.CompareAndSwapAsync(Table, Bytes("k"), Array.Empty<byte>(), Bytes("x"))).Swapped.Should().BeTrue();
    }

    [Test]
    public async Task CompareAndSwap_compares_every_byte()
    {
        await Store.SetAsync(Table, Bytes("k"), Bytes("abc"));
        (await Store.CompareAndSwapAsync(Table, Bytes("k"), Bytes("ab"), Bytes("x"))).Swapped.Should().BeFalse();
        (await Store.CompareAndSwapAsync(Table, Bytes("k"), Bytes("abcd"), Bytes("x"))).Swapped.Should().BeFalse();
        (await Store.CompareAndSwapAsync(Table, Bytes("k"), Bytes("abC"), Bytes("x"))).Swapped.Should().BeFalse();
        (await Store.GetAsync(Table, Bytes("k"))).Should().Equal(Bytes("abc"));
    }

    [Test]
    public async Task A_batch_applies_every_operation_in_order()
    {
        const string other = "contract_other";
        await Store.CreateTableAsync(other);
        await Store.SetAsync(Table, Bytes("gone"), Bytes("x"));

        var result = await Store.ApplyAsync(
        [
            KeyValueOperation.Set(Table, Bytes("a"), Bytes("1")),
            KeyValueOperation.Set(other, Bytes("a"), Bytes("other")),
            KeyValueOperation.Delete(Table, Bytes("gone")),
            // Sees the Set above, made earlier in the same batch.
            KeyValueOperation.CompareAndSwap(Table, Bytes("a"), Bytes("1"), Bytes("2")),
            KeyValueOperation.CompareAndSwap(Table, Bytes("new"), null, Bytes("inserted")),
        ]);

        result.Should().Be(new BatchResult(true, -1));
        (await Store.GetAsync(Table, Bytes("a"))).Should().Equal(Bytes("2"));
        (await Store.GetAsync(other, Bytes("a"))).Should().Equal(Bytes("other"));
        (await Store.GetAsync(Table, Bytes("gone"))).Should().BeNull();
        (await Store.GetAsync(Table, Bytes("new"))).Should().Equal(Bytes("inserted"));
    }

    [Test]
    public async Task A_batch_whose_compare_and_swap_fails_writes_nothing()
    {
        const string other = "contract_other";
        await Store.CreateTableAsync(other);
        await Store.SetAsync(Table, Bytes("kept"), Bytes("before"));
        await Store.SetAsync(Table, Bytes("guard"), Bytes("actual"));

        var result = await Store.ApplyAsync(
        [
            KeyValueOperation.Set(Table, Bytes("kept"), Bytes("after")),
            KeyValueOperation.Set(other, Bytes("b"), Bytes("new")),
            KeyValueOperation.Delete(Table, Bytes("guard")),
            KeyValueOperation.CompareAndSwap(Table, Bytes("guard"), Bytes("actual"), Bytes("x")),
            KeyValueOperation.Set(Table, Bytes("never"), Bytes("x")),
        ]);

        result.Should().Be(new BatchResult(false, 3), "the delete made the guard absent, so the compare-and-swap at index 3 fails");
        (await Store.GetAsync(Table, Bytes("kept"))).Should().Equal(Bytes("before"));
        (await Store.GetAsync(other, Bytes("b"))).Should().BeNull();
        (await Store.GetAsync(Table, Bytes("guard"))).Should().Equal(Bytes("actual"));
        (await Store.GetAsync(Table, Bytes("never"))).Should().BeNull();
    }

    [Test]
    public async Task An_empty_batch_commits()
    {
        (await Store.ApplyAsync([])).Should().Be(new BatchResult(true, -1));
    }
}
