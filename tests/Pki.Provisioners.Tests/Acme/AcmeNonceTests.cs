using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Acme;
using Smallstep.Pki.Storage.Acme;
using Smallstep.Pki.Storage.Memory;

namespace Smallstep.Pki.Tests.Provisioners.Acme;

public class AcmeNonceTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = Start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static (AcmeNonces Nonces, Clock Clock) Create(MemoryKeyValueStore kv, Clock? clock = null)
    {
        clock ??= new Clock();
        return (new AcmeNonces(new KeyValueAcmeStore(kv), clock, Microsoft.Extensions.Options.Options.Create(new AcmeServerOptions { NonceLifetime = TimeSpan.FromMinutes(10) })), clock);
    }

    private static async Task<string?> ProblemOf(Func<Task> use)
    {
        try
        {
            await use();
            return null;
        }
        catch (PkiException e)
        {
            return e.Message;
        }
    }

    [Test]
    public async Task A_nonce_is_accepted_once_even_when_sixteen_requests_race_with_it()
    {
        await using var kv = new MemoryKeyValueStore(AcmeTables.TableSet.Tables);
        var (nonces, _) = Create(kv);
        var nonce = await nonces.CreateAsync(default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => ProblemOf(async () => await nonces.ConsumeAsync(nonce, default)))));

        outcomes.Count(o => o is null).Should().Be(1);
        outcomes.Where(o => o is not null).Should().AllSatisfy(o => o.Should().Contain("already used"));
    }

    [Test]
    public async Task Another_node_on_the_same_database_accepts_a_nonce_once_and_issuing_one_writes_nothing()
    {
        await using var kv = new MemoryKeyValueStore(AcmeTables.TableSet.Tables);
        var (nodeA, _) = Create(kv);
        var (nodeB, _) = Create(kv);
        var nonce = await nodeA.CreateAsync(default);
        await nodeA.CreateAsync(default);

        (await kv.ListAsync(AcmeTables.Nonces).CountAsync()).Should().Be(0, "issuing a nonce stores nothing");
        (await ProblemOf(async () => await nodeB.ConsumeAsync(nonce, default))).Should().BeNull();
        (await ProblemOf(async () => await nodeA.ConsumeAsync(nonce, default))).Should().Contain("already used");
        (await kv.ListAsync(AcmeTables.Nonces).CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task A_nonce_expires_after_its_lifetime()
    {
        await using var kv = new MemoryKeyValueStore(AcmeTables.TableSet.Tables);
        var (nonces, clock) = Create(kv);
        var nonce = await nonces.CreateAsync(default);

        clock.Now = Start.AddMinutes(10);

        (await ProblemOf(async () => await nonces.ConsumeAsync(nonce, default))).Should().Contain("expired");
    }

    [Test]
    public async Task A_nonce_of_another_database_or_altered_or_made_up_is_refused_without_a_write()
    {
        await using var kv = new MemoryKeyValueStore(AcmeTables.TableSet.Tables);
        await using var otherKv = new MemoryKeyValueStore(AcmeTables.TableSet.Tables);
        var (nonces, _) = Create(kv);
        var (stranger, _) = Create(otherKv);
        var foreign = await stranger.CreateAsync(default);
        var ours = await nonces.CreateAsync(default);
        // Extend the expiry: the MAC covers it.
        var raw = Convert.FromBase64String(ours.Replace('-', '+').Replace('_', '/') + "==");
        raw[20] ^= 1;
        var extended = Convert.ToBase64String(raw).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        foreach (var bad in new[] { foreign, extended, "c29tZXRoaW5n", "", new string('A', 5000), ours + "A", "!!!" })
        {
            (await ProblemOf(async () => await nonces.ConsumeAsync(bad, default))).Should().Contain("not one this server issued", bad);
        }
        (await kv.ListAsync(AcmeTables.Nonces).CountAsync()).Should().Be(0);
    }
}
