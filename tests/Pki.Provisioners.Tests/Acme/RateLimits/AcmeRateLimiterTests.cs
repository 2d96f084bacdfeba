using Smallstep.Pki.Provisioners.Acme.RateLimits;
using Smallstep.Pki.Tests.Http;

namespace Smallstep.Pki.Tests.Acme.RateLimits;

public class AcmeRateLimiterTests
{
    private static readonly AcmeRateLimit ThreePerHour = new(3, TimeSpan.FromHours(1));
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public void A_burst_up_to_the_limit_is_allowed_and_the_next_event_waits_one_interval()
    {
        var limiter = new AcmeRateLimiter(_time);

        Enumerable.Range(0, 3).Select(_ => limiter.TryTake("10.0.0.1", ThreePerHour)).Should().OnlyContain(wait => wait == null);

        limiter.TryTake("10.0.0.1", ThreePerHour).Should().Be(TimeSpan.FromMinutes(20));
    }

    [Test]
    public void A_refusal_counts_nothing_and_the_bucket_refills_with_time()
    {
        var limiter = new AcmeRateLimiter(_time);
        for (var i = 0; i < 3; i++)
        {
            limiter.TryTake("acct", ThreePerHour);
        }
        limiter.TryTake("acct", ThreePerHour).Should().NotBeNull();
        limiter.TryTake("acct", ThreePerHour).Should().Be(TimeSpan.FromMinutes(20), "the refused event was not counted");

        _time.Now += TimeSpan.FromMinutes(20);

        limiter.TryTake("acct", ThreePerHour).Should().BeNull();
        limiter.TryTake("acct", ThreePerHour).Should().Be(TimeSpan.FromMinutes(20));
    }

    [Test]
    public void Keys_are_counted_apart()
    {
        var limiter = new AcmeRateLimiter(_time);
        for (var i = 0; i < 3; i++)
        {
            limiter.TryTake("a", ThreePerHour);
        }

        limiter.TryTake("a", ThreePerHour).Should().NotBeNull();
        limiter.TryTake("b", ThreePerHour).Should().BeNull();
    }

    [Test]
    public void Concurrent_takers_never_get_more_than_the_limit()
    {
        var limiter = new AcmeRateLimiter(_time);
        var limit = new AcmeRateLimit(50, TimeSpan.FromHours(1));
        var allowed = 0;

        Parallel.For(0, 1000, _ =>
        {
            if (limiter.TryTake("shared", limit) is null)
            {
                Interlocked.Increment(ref allowed);
            }
        });

        allowed.Should().Be(50);
    }
}
