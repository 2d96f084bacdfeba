namespace Smallstep.Pki.Tests.Http;

/// <summary>A clock the test sets; it never moves by itself.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
