namespace Smallstep.Pki.Storage.Sql;

/// <summary>
/// The wait before retrying an operation that failed transiently: "full jitter" exponential backoff
/// (a uniformly random wait below a ceiling that doubles per failure, from 10 ms to 250 ms), so
/// writers that deadlocked with each other do not collide again in step.
/// </summary>
internal static class SqlRetryDelay
{
    private const double FirstCeilingMs = 10, MaxCeilingMs = 250;

    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failure (1 or more).</summary>
    public static TimeSpan After(int failedAttempts)
    {
        var ceiling = Math.Min(MaxCeilingMs, FirstCeilingMs * Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
