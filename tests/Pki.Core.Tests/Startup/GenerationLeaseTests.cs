using Smallstep.Pki.Authority;

namespace Smallstep.Pki.Tests.Startup;

/// <summary>What a retired generation owns is released only once no request holds it.</summary>
public sealed class GenerationLeaseTests
{
    [Test]
    public async Task A_retired_generation_is_released_after_its_last_request_and_new_requests_move_on()
    {
        var released = 0;
        var old = new GenerationLease(() =>
        {
            released++;
            return ValueTask.CompletedTask;
        });
        var slot = new GenerationSlot<string>("initial");
        slot.Swap("old", old);

        var running = slot.Enter();
        running.Value.Should().Be("old");
        slot.Swap("new", new GenerationLease(null));
        var retirement = old.Retire();

        released.Should().Be(0, "a request still runs on the old generation");
        retirement.IsCompleted.Should().BeFalse();
        using (var next = slot.Enter())
        {
            next.Value.Should().Be("new");
        }
        running.Dispose();
        await retirement;
        released.Should().Be(1);
        old.TryEnter().Should().BeFalse("a drained generation takes no new request");
    }

    [Test]
    public async Task Retiring_an_idle_generation_releases_it_at_once()
    {
        var lease = new GenerationLease(() => ValueTask.CompletedTask);

        var retirement = lease.Retire();

        retirement.IsCompleted.Should().BeTrue();
        await retirement;
        GenerationLease.Permanent.Retire().IsCompleted.Should().BeTrue();
        GenerationLease.Permanent.TryEnter().Should().BeTrue("the permanent lease is never drained");
    }
}
