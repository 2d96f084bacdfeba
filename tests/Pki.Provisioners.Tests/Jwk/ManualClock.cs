namespace Smallstep.Pki.Tests.Jwk;

/// <summary>A clock the test moves by hand (no sleeps).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
