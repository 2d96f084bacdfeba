using System.Text;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Storage.Contract;

public abstract partial class KeyValueStoreContract
{
    [Test]
    public async Task Of_64_parallel_inserts_of_one_key_exactly_one_wins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            Task.Run(async () => (Writer: i, Result: await Store.CompareAndSwapAsync(Table, Bytes("ott"), null, Bytes($"token {i}"))))));

        var winners = results.Where(r => r.Result.Swapped).ToList();
        winners.Should().ContainSingle();
        var winnerValue = Bytes($"token {winners[0].Writer}");
        results.Where(r => !r.Result.Swapped).Should().OnlyContain(r => r.Result.Current!.SequenceEqual(winnerValue));
        (await Store.GetAsync(Table, Bytes("ott"))).Should().Equal(winnerValue);
    }

    [Test]
    public async Task Parallel_compare_and_swap_increments_never_lose_an_update()
    {
        const int workers = 16, incrementsEach = 25;
        await Store.SetAsync(Table, Bytes("counter"), Bytes("0"));

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var done = 0; done < incrementsEach;)
            {
                var current = (await Store.GetAsync(Table, Bytes("counter")))!;
                var next = Bytes((int.Parse(Encoding.UTF8.GetString(current)) + 1).ToString());
                if ((await Store.CompareAndSwapAsync(Table, Bytes("counter"), current, next)).Swapped)
                {
                    done++;
                }
            }
        })));

        Encoding.UTF8.GetString((await Store.GetAsync(Table, Bytes("counter")))!).Should().Be((workers * incrementsEach).ToString());
    }

    [Test]
    public async Task Concurrent_batches_are_isolated_from_each_others_failed_compare_and_swap()
    {
        // Every batch writes its own key and claims one shared key: exactly one batch may commit, and
        // the losers' own keys must not appear even when they share a transaction with the winner.
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () => (Index: i, Result: await Store.ApplyAsync(
        [
            KeyValueOperation.Set(Table, Bytes($"own {i}"), Bytes("x")),
            KeyValueOperation.CompareAndSwap(Table, Bytes("claim"), null, Bytes($"{i}")),
        ])))));

        var committed = results.Where(r => r.Result.Committed).ToList();
        committed.Should().ContainSingle();
        results.Where(r => !r.Result.Committed).Should().OnlyContain(r => r.Result.FailedIndex == 1);
        var rows = await Store.ListAsync(Table).ToListAsync();
        rows.Select(r => Encoding.UTF8.GetString(r.Key)).Should().BeEquivalentTo("claim", $"own {committed[0].Index}");
    }

    [Test]
    public async Task Concurrent_writers_and_readers_all_see_acknowledged_writes()
    {
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            await Store.ApplyAsync(
            [
                KeyValueOperation.Set(Table, Bytes($"cert {i:D3}"), Bytes($"der {i}")),
                KeyValueOperation.Set(Table, Bytes($"data {i:D3}"), Bytes($"json {i}")),
            ]);
            (await Store.GetAsync(Table, Bytes($"cert {i:D3}"))).Should().Equal(Bytes($"der {i}"));
            (await Store.GetAsync(Table, Bytes($"data {i:D3}"))).Should().Equal(Bytes($"json {i}"));
        })));

        (await Store.ListAsync(Table).ToListAsync()).Should().HaveCount(400);
    }
}
