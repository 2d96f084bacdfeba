namespace Smallstep.Pki.Authority;

/// <summary>
/// Counts what runs on one authority generation, so what the generation owns (its key managers and
/// their sessions) is released only when nothing can use it any more. The runtime holds one count
/// while the generation is current; each request (sign, renew, revoke, SSH sign, a TLS
/// certificate renewal) holds one while it runs. <see cref="Retire"/> drops the runtime's count
/// after a reload swapped in the next generation; the release runs when the count reaches zero.
/// A request that read the old generation just before the swap and finds it drained retries on the
/// current one (<see cref="GenerationSlot{T}.Enter"/>), so no request ever starts on a released
/// generation. Thread-safe.
/// </summary>
internal sealed class GenerationLease
{
    private readonly Func<ValueTask>? _release;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count = 1;

    /// <param name="release">Runs once when the generation is retired and drained; must not throw.</param>
    public GenerationLease(Func<ValueTask>? release) => _release = release;

    /// <summary>A lease that is never retired (a generation nobody releases).</summary>
    public static GenerationLease Permanent { get; } = new(null);

    /// <summary>Completes when the retired generation has drained and been released.</summary>
    public Task Released => _released.Task;

    /// <summary>Takes a count unless the generation has drained.</summary>
    public bool TryEnter()
    {
        var count = Volatile.Read(ref _count);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref _count, count + 1, count);
            if (seen == count)
            {
                return true;
            }
            count = seen;
        }
        return false;
    }

    /// <summary>Returns a count taken by <see cref="TryEnter"/>.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            _ = ReleaseAsync();
        }
    }

    /// <summary>Drops the runtime's count (once, after the swap); returns <see cref="Released"/>.</summary>
    public Task Retire()
    {
        if (ReferenceEquals(this, Permanent))
        {
            return Task.CompletedTask;
        }
        Exit();
        return Released;
    }

    private async Task ReleaseAsync()
    {
        try
        {
            if (_release is not null)
            {
                await _release().ConfigureAwait(false);
            }
        }
        finally
        {
            _released.TrySetResult();
        }
    }
}

/// <summary>The current generation of <typeparamref name="T"/> with its lease; see <see cref="GenerationLease"/>.</summary>
internal sealed class GenerationSlot<T>(T initial)
    where T : class
{
    private volatile Entry _current = new(initial, GenerationLease.Permanent);

    /// <summary>The value serving new requests.</summary>
    public T Current => _current.Value;

    /// <summary>Replaces the value for every request that starts from now on.</summary>
    public void Swap(T next, GenerationLease lease) => _current = new Entry(next, lease);

    /// <summary>Takes a count on the current generation; dispose the result when the request ends.</summary>
    public Use Enter()
    {
        while (true)
        {
            var entry = _current;
            if (entry.Lease.TryEnter())
            {
                return new Use(entry);
            }
            // Drained: a reload retired it after swapping, so _current is already newer.
        }
    }

    /// <summary>One request's hold on a generation.</summary>
    public readonly struct Use(Entry entry) : IDisposable
    {
        /// <summary>The generation's value.</summary>
        public T Value => entry.Value;

        /// <inheritdoc />
        public void Dispose() => entry.Lease.Exit();
    }

    /// <summary>A value and its lease.</summary>
    public sealed record Entry(T Value, GenerationLease Lease);
}
