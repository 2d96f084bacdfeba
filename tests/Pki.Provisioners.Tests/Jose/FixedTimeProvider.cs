namespace Smallstep.Pki.Tests.Jose;

/// <summary>A clock frozen at one instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
