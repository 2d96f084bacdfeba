using System.Collections.Concurrent;

namespace Smallstep.Pki.Provisioners.Acme.RateLimits;

/// <summary>
/// Counts events per key against an <see cref="AcmeRateLimit"/> with the generic cell rate algorithm
/// (a token bucket kept as one timestamp per key): a burst of <c>Limit</c> events is allowed, then
/// one per <c>Window / Limit</c>. Refusals carry the time until the next event fits, for
/// <c>Retry-After</c> (RFC 8555 §6.6). Thread-safe; memory is bounded by forgetting keys whose
/// bucket has refilled.
/// </summary>
public sealed class AcmeRateLimiter
{
    // Keys are swept when the table grows past this; a full bucket is the same as a forgotten key.
    private const int SweepThreshold = 10_000;

    private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates a limiter reading the clock from <paramref name="time"/>.</summary>
    public AcmeRateLimiter(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>
    /// Takes one event for <paramref name="key"/> under <paramref name="limit"/>. Returns null when it
    /// is allowed (and counted), or how long to wait when it is refused (nothing is counted).
    /// </summary>
    public TimeSpan? TryTake(string key, AcmeRateLimit limit)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(limit);
        var now = _time.GetUtcNow();
        if (_cells.Count > SweepThreshold)
        {
            Sweep(now);
        }
        var cell = _cells.GetOrAdd(key, static _ => new Cell());
        lock (cell)
        {
            // The theoretical arrival time: when the bucket would be full again.
            var tat = cell.TheoreticalArrival > now ? cell.TheoreticalArrival : now;
            var next = tat + limit.EmissionInterval;
            var excess = next - now - limit.Window;
            if (excess > TimeSpan.Zero)
            {
                return excess;
            }
            cell.TheoreticalArrival = next;
            return null;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, cell) in _cells)
        {
            if (cell.TheoreticalArrival <= now)
            {
                _cells.TryRemove(new KeyValuePair<string, Cell>(key, cell));
            }
        }
    }

    private sealed class Cell
    {
        public DateTimeOffset TheoreticalArrival;
    }
}
