namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>The system clock moved by a fixed offset, to mint tokens "issued" at another time (no sleeping).</summary>
internal sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
}
